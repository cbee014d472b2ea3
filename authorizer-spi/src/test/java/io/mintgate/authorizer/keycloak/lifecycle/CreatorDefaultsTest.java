package io.mintgate.authorizer.keycloak.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CreatorDefaultsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:15:30.123Z");
    private static final OwnerDirectory.Owner DANA = new OwnerDirectory.Owner("id-dana", "dana", true);

    private static ControlSettings settings(boolean requireExpiry, String maxLifetime, Boolean creatorDefaults) {
        return ControlSettings.parse(null, null, requireExpiry, maxLifetime, Map.of(),
                IssuanceControlsConfiguration.DEFAULTS, List.of(), creatorDefaults);
    }

    private static ProposedIdentity identity(String owner, String purpose, String expiresAt) {
        Map<ControlledGrant, Boolean> grants = new EnumMap<>(ControlledGrant.class);
        for (ControlledGrant grant : ControlledGrant.values()) {
            grants.put(grant, false);
        }
        return new ProposedIdentity("wizard-made", owner, purpose, expiresAt, false, grants);
    }

    @Test
    void aCreationWithoutOwnerPurposeAndExpiryTakesTheCreatorTheDescriptionAndTheMaximumLifetime() {
        Map<String, String> filled = CreatorDefaults.fill(settings(true, "P90D", null), identity(null, null, null),
                " nightly reports ", DANA, NOW);
        assertThat(filled).containsExactly(Map.entry("mintgate.owner", "id-dana"),
                Map.entry("mintgate.purpose", "nightly reports"),
                Map.entry("mintgate.expires-at", "2026-04-01T10:15:30Z"));
    }

    @Test
    void whatTheRequestCarriesIsNeverReplaced() {
        assertThat(CreatorDefaults.fill(settings(true, "P90D", true), identity("alice", "backups",
                "2026-02-01T00:00:00Z"), "something else", DANA, NOW)).isEmpty();
    }

    @Test
    void nothingIsInventedWithoutACreatorOfTheRealmADescriptionOrAMaximumLifetime() {
        assertThat(CreatorDefaults.fill(settings(true, null, true), identity(null, null, null), "  ", null, NOW)).isEmpty();
        assertThat(CreatorDefaults.fill(settings(false, null, true), identity(null, "x", null), null,
                new OwnerDirectory.Owner("id-eve", "eve", false), NOW)).isEmpty();
    }

    @Test
    void theDefaultsCanBeSwitchedOff() {
        assertThat(CreatorDefaults.fill(settings(true, "P90D", false), identity(null, null, null), "reports", DANA, NOW))
                .isEmpty();
    }

    @Test
    void attributesThatAreNotRequiredAreNotFilled() {
        ControlSettings optional = ControlSettings.parse(false, false, false, "P90D", Map.of(),
                IssuanceControlsConfiguration.DEFAULTS, List.of(), true);
        assertThat(CreatorDefaults.fill(optional, identity(null, null, null), "reports", DANA, NOW)).isEmpty();
    }

    @Test
    void theWizardHintSaysWhatToDoForEachMissingAttribute() {
        ControlSettings on = settings(true, null, true);
        Violation owner = new Violation(IssuanceControls.OWNER, "required (the user who owns this identity)");
        assertThat(CreatorDefaults.wizardHint(owner, on, false, "master", "acme", "ELSEWHERE"))
                .isEqualTo(" - Keycloak's Create client wizard has no owner field, and you sign in to realm master, so you"
                        + " cannot own an identity of realm acme: sign in to the console as an admin who is a user of realm"
                        + " acme (who becomes its owner), or ELSEWHERE");
        assertThat(CreatorDefaults.wizardHint(new Violation(IssuanceControls.PURPOSE, "required (what this identity is for)"),
                on, true, "acme", "acme", "ELSEWHERE"))
                .isEqualTo(" - write what the identity is for in the wizard's Description (it becomes the purpose)");
        assertThat(CreatorDefaults.wizardHint(new Violation(IssuanceControls.EXPIRES_AT, "required (...)"), on, true,
                "acme", "acme", "ELSEWHERE")).contains("no max-lifetime").endsWith(": ELSEWHERE");
        assertThat(CreatorDefaults.wizardHint(owner, settings(false, null, false), true, "acme", "acme", "ELSEWHERE"))
                .isEqualTo(" - Keycloak's Create client wizard has no owner field (the controls' creator-defaults is off): ELSEWHERE");
        assertThat(CreatorDefaults.wizardHint(new Violation(IssuanceControls.OWNER, "user 'bob' is disabled"), on, true,
                "acme", "acme", "ELSEWHERE")).isEmpty();
    }
}
