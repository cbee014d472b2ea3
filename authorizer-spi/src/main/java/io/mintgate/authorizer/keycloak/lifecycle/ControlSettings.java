package io.mintgate.authorizer.keycloak.lifecycle;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAmount;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed, immutable settings of one {@code nhi-issuance-controls} executor. Parsing fails with the config key
 * in the message, so a bad value is rejected when the profile is saved, never discovered at the next client change.
 *
 * @param maxLifetime null when no maximum is configured
 * @param serviceAccountRoles empty when service-account roles are not restricted; realm roles by name, client roles
 *                            as {@code <client-id>:<role>}
 * @param creatorDefaults     whether an admin-API creation without owner, purpose or expiry gets them from its creator
 *                            ({@link CreatorDefaults})
 */
public record ControlSettings(boolean requireOwner, boolean requirePurpose, boolean requireExpiry,
                              TemporalAmount maxLifetime, String maxLifetimeText, Map<ControlledGrant, GrantControl> grants,
                              Set<String> serviceAccountRoles, boolean creatorDefaults) {

    public ControlSettings {
        grants = Map.copyOf(grants);
        serviceAccountRoles = Set.copyOf(serviceAccountRoles);
    }

    GrantControl control(ControlledGrant grant) {
        return grants.getOrDefault(grant, GrantControl.ALLOW);
    }

    /** Raw config values in, settings out; IllegalArgumentException names the config key that is wrong. */
    static ControlSettings parse(Boolean requireOwner, Boolean requirePurpose, Boolean requireExpiry, String maxLifetime,
                                 Map<ControlledGrant, String> grantModes, Map<ControlledGrant, GrantControl> defaults,
                                 List<String> serviceAccountRoles, Boolean creatorDefaults) {
        TemporalAmount lifetime = parseLifetime(maxLifetime);
        Map<ControlledGrant, GrantControl> grants = new EnumMap<>(ControlledGrant.class);
        for (ControlledGrant grant : ControlledGrant.values()) {
            try {
                grants.put(grant, GrantControl.parse(grantModes.get(grant), defaults.getOrDefault(grant, GrantControl.ALLOW)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(IssuanceControlsConfiguration.keyOf(grant) + ": " + e.getMessage());
            }
        }
        Set<String> roles = new java.util.LinkedHashSet<>();
        if (serviceAccountRoles != null) {
            for (String role : serviceAccountRoles) {
                if (role == null || role.isBlank()) {
                    continue;
                }
                String trimmed = role.trim();
                if (trimmed.startsWith(":") || trimmed.endsWith(":")) {
                    throw new IllegalArgumentException(IssuanceControlsConfiguration.SERVICE_ACCOUNT_ROLES
                            + ": '" + trimmed + "' is neither a realm role name nor <client-id>:<role>");
                }
                roles.add(trimmed);
            }
        }
        return new ControlSettings(requireOwner == null || requireOwner, requirePurpose == null || requirePurpose,
                Boolean.TRUE.equals(requireExpiry), lifetime, lifetime == null ? null : maxLifetime.trim(), grants, roles,
                creatorDefaults == null || creatorDefaults);
    }

    /** ISO-8601: a duration (PT720H, P90D) or a period with years/months/weeks (P1Y, P6M, P2W). */
    static TemporalAmount parseLifetime(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        TemporalAmount amount;
        try {
            amount = Duration.parse(text);
        } catch (DateTimeParseException notADuration) {
            try {
                amount = Period.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(IssuanceControlsConfiguration.MAX_LIFETIME
                        + ": '" + text + "' is not an ISO-8601 duration such as P90D, PT720H or P1Y");
            }
        }
        boolean positive = amount instanceof Duration d ? !d.isNegative() && !d.isZero()
                : !((Period) amount).isNegative() && !((Period) amount).isZero();
        if (!positive) {
            throw new IllegalArgumentException(IssuanceControlsConfiguration.MAX_LIFETIME + ": '" + text + "' must be positive");
        }
        return amount;
    }
}
