package io.mintgate.authorizer.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.keycloak.context.NhiAttributes;
import io.mintgate.authorizer.keycloak.enforce.IssuanceDecisions;
import io.mintgate.authorizer.keycloak.enforce.MapperNarrowing;
import io.mintgate.authorizer.keycloak.handoff.DecisionDetails;
import io.mintgate.authorizer.keycloak.handoff.FakeRequestSession;
import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.Mode;
import io.mintgate.authorizer.policy.NhiInfo;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.Outcome;
import io.mintgate.authorizer.policy.RuleFinding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.models.KeycloakSession;

class DecisionDetailsListenerTest {

    private final EventListenerProvider listener = new DecisionDetailsListenerFactory().create(null);

    private final FakeRequestSession request = new FakeRequestSession();

    @AfterEach
    void endTheRequest() {
        request.commit();
    }

    @Test
    void thePendingDecisionJoinsKeycloaksDetailsWithoutChangingKeycloaksMap() {
        RequestLedger.of(request.session).decision().record(allow("d-1", null));
        Map<String, String> keycloaks = new HashMap<>(Map.of("grant_type", "client_credentials", "scope", "read"));
        Event event = new Event();
        event.setDetails(keycloaks);

        listener.onEvent(event);

        assertThat(event.getDetails()).containsExactlyInAnyOrderEntriesOf(Map.of("grant_type", "client_credentials",
                "scope", "read", DecisionDetails.DECISION_ID, "d-1", DecisionDetails.OUTCOME, "allow"));
        assertThat(keycloaks).hasSize(2);
    }

    @Test
    void anEventWithoutDetailsGetsTheDecisionAlone() {
        RequestLedger.of(request.session).decision().record(allow("d-2", "v2"));
        Event event = new Event();

        listener.onEvent(event);

        assertThat(event.getDetails()).containsExactlyInAnyOrderEntriesOf(Map.of(DecisionDetails.DECISION_ID, "d-2",
                DecisionDetails.OUTCOME, "allow", DecisionDetails.POLICY_VERSION, "v2"));
    }

    @Test
    void decisionsIdentityFactsAndRemovalsReachTheEventInTheOrderRecorded() {
        KeycloakSession session = request.session;
        RequestLedger.of(session).decision().record(new Decision("d-1", Outcome.ALLOW, null, null, null, null, "v1",
                List.of(new RuleFinding("r15", "external_network", Mode.SHADOW, false, "shadow")), Obligations.NONE));
        RequestLedger.of(session).decision().record(new NhiInfo("alice", true, true, Instant.parse("2027-01-01T00:00:00Z"), "ci"));
        IssuanceDecisions.recordNarrowing(session, "scope:admin");
        IssuanceDecisions.recordNarrowing(session, "");
        MapperNarrowing.recordRemoved(session, "refresh_token:-");
        // A second decision in the same request replaces the first one's entries, and only those it has.
        RequestLedger.of(session).decision().record(allow("d-2", "v2"));
        Event event = new Event();

        listener.onEvent(event);

        assertThat(event.getDetails()).containsExactlyInAnyOrderEntriesOf(Map.of(
                DecisionDetails.DECISION_ID, "d-2", DecisionDetails.OUTCOME, "allow",
                DecisionDetails.POLICY_VERSION, "v2", DecisionDetails.SHADOW_DENIALS, "r15:external_network",
                NhiAttributes.DETAIL_OWNER, "alice", NhiAttributes.DETAIL_PURPOSE, "ci",
                NhiAttributes.DETAIL_EXPIRES_AT, NhiAttributes.expiryText(Instant.parse("2027-01-01T00:00:00Z")),
                DecisionDetails.NARROWED, "scope:admin;refresh_token:-"));
        assertThat(RequestLedger.of(session).decisionId()).isEqualTo("d-2");
        // Not cleared by an event: the next event of the request reports the same details.
        Event next = new Event();
        listener.onEvent(next);
        assertThat(next.getDetails()).isEqualTo(event.getDetails());
    }

    @Test
    void withoutAPendingDecisionTheEventIsLeftAlone() {
        Map<String, String> keycloaks = new HashMap<>(Map.of("grant_type", "password"));
        Event event = new Event();
        event.setDetails(keycloaks);

        listener.onEvent(event);

        assertThat(event.getDetails()).isSameAs(keycloaks).hasSize(1);
    }

    @Test
    void anEventTheEventStoreAlreadyWroteIsNotWrittenAgain() {
        RequestLedger.of(request.session).decision().record(allow("d-3", null));
        Event event = new Event();
        RequestLedger.of(request.session).decision().writeInto(event); // what the event store does before storing it
        Map<String, String> stored = event.getDetails();

        listener.onEvent(event);

        assertThat(event.getDetails()).isSameAs(stored).containsEntry(DecisionDetails.DECISION_ID, "d-3");
    }

    @Test
    void anEventWrittenAgainAfterMoreWasRecordedListsEachRemovalOnce() {
        KeycloakSession session = request.session;
        RequestLedger.of(session).decision().record(allow("d-4", null));
        IssuanceDecisions.recordNarrowing(session, "scope:admin");
        Event event = new Event();
        RequestLedger.of(request.session).decision().writeInto(event);
        IssuanceDecisions.recordNarrowing(session, "exp:120s");

        listener.onEvent(event);

        assertThat(event.getDetails()).containsEntry(DecisionDetails.NARROWED, "scope:admin;exp:120s");
    }

    private static Decision allow(String id, String policyVersion) {
        return new Decision(id, Outcome.ALLOW, null, null, null, null, policyVersion, List.of(), Obligations.NONE);
    }

}
