package io.mintgate.authorizer.keycloak.lifecycle;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import io.mintgate.authorizer.keycloak.context.NhiAttributes;

/**
 * What an identity created through the admin REST API without an owner, purpose or expiry takes from the request
 * itself, so that Keycloak's own Create client wizard (which has no field for them) works with the controls on. The
 * admin who creates an identity is accountable for it until they hand it over — as the registering user owns an
 * app registration in Entra ID — so a required owner defaults to the creating admin, when that admin is a person of
 * the identity's realm (an owner is always a user of the realm). A required purpose defaults to the client's
 * description (the wizard's Description field, written by the admin); a required expiry to now plus
 * {@code max-lifetime}. Nothing is invented: without a description or a maximum lifetime the attribute stays
 * missing and the controls refuse the creation, with {@link #wizardHint} saying what to do.
 */
final class CreatorDefaults {

    private CreatorDefaults() {
    }

    /**
     * @param creator the creating admin as a person of the identity's realm; null when they are not one (an admin of
     *                the master realm, a service account)
     * @return the attributes to add to the representation, in the order owner, purpose, expiry; empty when the
     *         request carries what is required or the settings switch the defaults off
     */
    static Map<String, String> fill(ControlSettings settings, ProposedIdentity proposed, String description,
                                    OwnerDirectory.Owner creator, Instant now) {
        Map<String, String> filled = new LinkedHashMap<>();
        if (!settings.creatorDefaults()) {
            return filled;
        }
        if (settings.requireOwner() && blank(proposed.owner()) && creator != null && creator.enabled()) {
            filled.put(NhiAttributes.OWNER, creator.id());
        }
        if (settings.requirePurpose() && blank(proposed.purpose()) && !blank(description)) {
            filled.put(NhiAttributes.PURPOSE, description.trim());
        }
        if (settings.requireExpiry() && blank(proposed.expiresAt()) && settings.maxLifetime() != null) {
            Instant latest = now.atOffset(ZoneOffset.UTC).plus(settings.maxLifetime()).toInstant();
            filled.put(NhiAttributes.EXPIRES_AT, latest.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        return filled;
    }

    /**
     * What an admin of Keycloak's admin console must do about a required attribute its wizard could not supply,
     * appended to the violation's message; empty for a violation that is not a missing attribute.
     *
     * @param creatorIsPerson whether the creating admin is a person of the identity's realm
     * @param elsewhere       where an identity can be created with the attribute (the Mintgate page, kcadm)
     */
    static String wizardHint(Violation violation, ControlSettings settings, boolean creatorIsPerson, String adminRealm,
                             String realm, String elsewhere) {
        if (!violation.message().startsWith("required")) {
            return "";
        }
        boolean on = settings.creatorDefaults();
        String off = " (the controls' creator-defaults is off)";
        return switch (violation.field()) {
            case IssuanceControls.OWNER -> on && !creatorIsPerson
                    ? " - Keycloak's Create client wizard has no owner field, and you sign in to realm " + adminRealm
                        + ", so you cannot own an identity of realm " + realm + ": sign in to the console as an admin who"
                        + " is a user of realm " + realm + " (who becomes its owner), or " + elsewhere
                    : " - Keycloak's Create client wizard has no owner field" + (on ? "" : off) + ": " + elsewhere;
            case IssuanceControls.PURPOSE -> on
                    ? " - write what the identity is for in the wizard's Description (it becomes the purpose)"
                    : " - Keycloak's Create client wizard has no purpose field" + off + ": " + elsewhere;
            case IssuanceControls.EXPIRES_AT -> " - Keycloak's Create client wizard has no expiry field"
                    + (on ? " and the controls have no max-lifetime to default it to" : off) + ": " + elsewhere;
            default -> "";
        };
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
