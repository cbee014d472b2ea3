package io.mintgate.authorizer.keycloak.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.Outcome;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.events.jpa.EventEntity;

class DecisionRecordingEventStoreTest {

    private final List<Object> persisted = new ArrayList<>();
    private final DecisionRecordingEventStore store = new DecisionRecordingEventStore(null, entityManager());

    private final FakeRequestSession request = new FakeRequestSession();

    @AfterEach
    void endTheRequest() {
        request.commit();
    }

    @Test
    void theStoredEventCarriesThePendingDecision() {
        RequestLedger.of(request.session).decision().record(new Decision("d-1", Outcome.DENY, "client_flagged", "flagged", "flagged-clients",
                null, "v3", List.of(), Obligations.NONE));
        Event event = event(new HashMap<>(Map.of("grant_type", "client_credentials")));

        store.onEvent(event);

        assertThat(persisted).singleElement().isInstanceOfSatisfying(EventEntity.class, stored -> assertThat(
                stored.getDetailsJson()).contains("\"grant_type\":\"client_credentials\"", "\"mintgate_decision_id\":\"d-1\"",
                "\"mintgate_outcome\":\"deny\"", "\"mintgate_rule\":\"flagged-clients\"",
                "\"mintgate_reason\":\"client_flagged\""));
        assertThat(event.getDetails()).containsEntry(DecisionDetails.DECISION_ID, "d-1");
    }

    @Test
    void withoutAPendingDecisionTheEventIsStoredAsKeycloakSentIt() {
        Map<String, String> keycloaks = new HashMap<>(Map.of("grant_type", "password"));
        Event event = event(keycloaks);

        store.onEvent(event);

        assertThat(event.getDetails()).isSameAs(keycloaks).hasSize(1);
        assertThat(persisted).singleElement().isInstanceOfSatisfying(EventEntity.class,
                stored -> assertThat(stored.getDetailsJson()).doesNotContain("mintgate_"));
    }

    private static Event event(Map<String, String> details) {
        Event event = new Event();
        event.setId("e-1");
        event.setType(EventType.CLIENT_LOGIN_ERROR);
        event.setRealmId("realm-id");
        event.setDetails(details);
        return event;
    }

    /** Keeps what Keycloak's store persists; nothing else is called on the way in. */
    private EntityManager entityManager() {
        return (EntityManager) Proxy.newProxyInstance(EntityManager.class.getClassLoader(),
                new Class<?>[] {EntityManager.class}, (proxy, method, args) -> {
                    if ("persist".equals(method.getName())) {
                        persisted.add(args[0]);
                    }
                    return null;
                });
    }

}
