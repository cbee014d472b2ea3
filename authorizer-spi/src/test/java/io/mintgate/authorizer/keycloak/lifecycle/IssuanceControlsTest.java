package io.mintgate.authorizer.keycloak.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class IssuanceControlsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final OwnerDirectory.Owner ALICE = new OwnerDirectory.Owner("id-alice", "alice", true);
    private static final OwnerDirectory.Owner BOB = new OwnerDirectory.Owner("id-bob", "bob", false);
    private static final OwnerDirectory OWNERS = idOrUsername -> switch (idOrUsername) {
        case "alice", "id-alice" -> ALICE;
        case "bob", "id-bob" -> BOB;
        default -> null;
    };

    private static ControlSettings settings(boolean requireExpiry, String maxLifetime, Map<ControlledGrant, String> modes) {
        return ControlSettings.parse(null, null, requireExpiry, maxLifetime, modes,
                IssuanceControlsConfiguration.DEFAULTS, List.of(), null);
    }

    private static ProposedIdentity identity(String owner, String purpose, String expiresAt, boolean implicit,
                                             boolean password, boolean serviceAccount, boolean standardFlow) {
        Map<ControlledGrant, Boolean> grants = new EnumMap<>(ControlledGrant.class);
        grants.put(ControlledGrant.IMPLICIT_FLOW, implicit);
        grants.put(ControlledGrant.DIRECT_ACCESS_GRANTS, password);
        grants.put(ControlledGrant.FULL_SCOPE_ALLOWED, true);
        grants.put(ControlledGrant.SERVICE_ACCOUNT_STANDARD_FLOW, standardFlow);
        return new ProposedIdentity("ci", owner, purpose, expiresAt, serviceAccount, grants);
    }

    private static ProposedIdentity compliant() {
        return identity("alice", "deploys", "2026-02-01T00:00:00Z", false, false, true, false);
    }

    @Test
    void aCompliantCreationPasses() {
        IssuanceControls.Review review = IssuanceControls.review(settings(true, "P90D", Map.of()), null, compliant(), OWNERS, NOW);
        assertThat(review.refused()).isFalse();
        assertThat(review.stripped()).isEmpty();
    }

    @Test
    void aCreationWithoutOwnerOrPurposeNamesBothFields() {
        IssuanceControls.Review review = IssuanceControls.review(settings(false, null, Map.of()), null,
                identity(null, " ", null, false, false, true, false), OWNERS, NOW);
        assertThat(review.description()).isEqualTo("attributes.mintgate.owner: required (the user who owns this identity);"
                + " attributes.mintgate.purpose: required (what this identity is for)");
    }

    @Test
    void anUnknownOrDisabledOwnerIsRefused() {
        assertThat(IssuanceControls.review(settings(false, null, Map.of()), null,
                identity("nobody", "p", null, false, false, true, false), OWNERS, NOW).description())
                .isEqualTo("attributes.mintgate.owner: no user 'nobody' in this realm");
        assertThat(IssuanceControls.review(settings(false, null, Map.of()), null,
                identity("bob", "p", null, false, false, true, false), OWNERS, NOW).description())
                .isEqualTo("attributes.mintgate.owner: user 'bob' is disabled");
    }

    @Test
    void anExpiryBeyondTheMaximumLifetimeIsRefused() {
        IssuanceControls.Review review = IssuanceControls.review(settings(true, "P90D", Map.of()), null,
                identity("alice", "p", "2026-06-01T00:00:00Z", false, false, true, false), OWNERS, NOW);
        assertThat(review.description()).isEqualTo("attributes.mintgate.expires-at: 2026-06-01T00:00:00Z is beyond the"
                + " maximum lifetime P90D (latest allowed now: 2026-04-01T00:00:00Z)");
    }

    @Test
    void aMissingPastOrUnparsableExpiryIsRefusedWhenRequired() {
        ControlSettings s = settings(true, "P1Y", Map.of());
        assertThat(IssuanceControls.review(s, null, identity("alice", "p", null, false, false, true, false), OWNERS, NOW)
                .description()).startsWith("attributes.mintgate.expires-at: required").contains("at most P1Y from now");
        assertThat(IssuanceControls.review(s, null, identity("alice", "p", "2025-01-01T00:00:00Z", false, false, true, false),
                OWNERS, NOW).description()).isEqualTo("attributes.mintgate.expires-at: 2025-01-01T00:00:00Z is not in the future");
        assertThat(IssuanceControls.review(s, null, identity("alice", "p", "tomorrow", false, false, true, false),
                OWNERS, NOW).description()).startsWith("attributes.mintgate.expires-at: 'tomorrow' is not an ISO-8601 instant");
    }

    @Test
    void refusedGrantsAreNamedAndStrippedGrantsAreListed() {
        ProposedIdentity risky = identity("alice", "p", null, true, true, true, true);
        IssuanceControls.Review refused = IssuanceControls.review(settings(false, null, Map.of()), null, risky, OWNERS, NOW);
        assertThat(refused.violations()).extracting(Violation::field)
                .containsExactly("implicitFlowEnabled", "directAccessGrantsEnabled");
        IssuanceControls.Review stripped = IssuanceControls.review(settings(false, null, Map.of(
                ControlledGrant.IMPLICIT_FLOW, "strip", ControlledGrant.DIRECT_ACCESS_GRANTS, "strip",
                ControlledGrant.SERVICE_ACCOUNT_STANDARD_FLOW, "strip")), null, risky, OWNERS, NOW);
        assertThat(stripped.refused()).isFalse();
        assertThat(stripped.stripped()).containsExactlyInAnyOrder(ControlledGrant.IMPLICIT_FLOW,
                ControlledGrant.DIRECT_ACCESS_GRANTS, ControlledGrant.SERVICE_ACCOUNT_STANDARD_FLOW);
    }

    @Test
    void standardFlowIsControlledOnlyOnServiceAccountClients() {
        ControlSettings s = settings(false, null, Map.of(ControlledGrant.SERVICE_ACCOUNT_STANDARD_FLOW, "refuse"));
        assertThat(IssuanceControls.review(s, null, identity("alice", "p", null, false, false, false, true), OWNERS, NOW)
                .refused()).isFalse();
        assertThat(IssuanceControls.review(s, null, identity("alice", "p", null, false, false, true, true), OWNERS, NOW)
                .description()).startsWith("standardFlowEnabled: not allowed");
    }

    @Test
    void anUpdateThatRemovesTheOwnerIsRefused() {
        IssuanceControls.Review review = IssuanceControls.review(settings(false, null, Map.of()), compliant(),
                identity("", "deploys", "2026-02-01T00:00:00Z", false, false, true, false), OWNERS, NOW);
        assertThat(review.description()).isEqualTo("attributes.mintgate.owner: required (the user who owns this identity)");
    }

    @Test
    void anUpdateThatLeavesAnOffboardedOwnerOrAPastExpiryAloneIsAllowed() {
        ProposedIdentity stale = identity("bob", "deploys", "2025-01-01T00:00:00Z", true, false, true, false);
        IssuanceControls.Review review = IssuanceControls.review(settings(true, "P90D", Map.of()), stale, stale, OWNERS, NOW);
        assertThat(review.refused()).isFalse();
    }

    @Test
    void aTypedUsernameIsSavedAsTheUsersId() {
        IssuanceControls.Review review = IssuanceControls.review(settings(false, null, Map.of()), null, compliant(), OWNERS, NOW);
        assertThat(review.ownerId()).isEqualTo("id-alice");
        ProposedIdentity byId = identity("id-alice", "deploys", null, false, false, true, false);
        assertThat(IssuanceControls.review(settings(false, null, Map.of()), null, byId, OWNERS, NOW).ownerId())
                .as("already an id: nothing to rewrite").isNull();
    }

    @Test
    void typingTheUsernameOfTheCurrentOwnerIsNoChange() {
        // bob is disabled: were this a change of owner it would be refused.
        ProposedIdentity saved = identity("id-bob", "deploys", null, false, false, true, false);
        ProposedIdentity typed = identity("bob", "deploys", null, false, false, true, false);
        IssuanceControls.Review review = IssuanceControls.review(settings(false, null, Map.of()), saved, typed, OWNERS, NOW);
        assertThat(review.refused()).isFalse();
        assertThat(review.ownerId()).isEqualTo("id-bob");
    }

    @Test
    void aStoredUsernameIsBoundToItsUserWhenTheClientIsSavedAgain() {
        ProposedIdentity legacy = identity("bob", "deploys", null, false, false, true, false);
        IssuanceControls.Review review = IssuanceControls.review(settings(false, null, Map.of()), legacy, legacy, OWNERS, NOW);
        assertThat(review.refused()).as("an owner left as it was is not checked").isFalse();
        assertThat(review.ownerId()).isEqualTo("id-bob");
    }

    @Test
    void theIdOfADeletedOwnerIsLeftAloneButCannotBeSetAgain() {
        ProposedIdentity orphan = identity("id-gone", "deploys", null, false, false, true, false);
        assertThat(IssuanceControls.review(settings(false, null, Map.of()), orphan, orphan, OWNERS, NOW).refused()).isFalse();
        assertThat(IssuanceControls.review(settings(false, null, Map.of()), compliant(), orphan, OWNERS, NOW).description())
                .isEqualTo("attributes.mintgate.owner: no user 'id-gone' in this realm");
    }

    @Test
    void badConfigurationNamesTheKey() {
        assertThatThrownBy(() -> settings(false, "90 days", Map.of())).hasMessage(
                "max-lifetime: '90 days' is not an ISO-8601 duration such as P90D, PT720H or P1Y");
        assertThatThrownBy(() -> settings(false, "-P1D", Map.of())).hasMessage("max-lifetime: '-P1D' must be positive");
        assertThatThrownBy(() -> settings(false, null, Map.of(ControlledGrant.IMPLICIT_FLOW, "block")))
                .hasMessage("implicit-flow: must be one of allow, refuse, strip (was 'block')");
        assertThat(settings(false, "P6M", Map.of()).maxLifetimeText()).isEqualTo("P6M");
    }
}
