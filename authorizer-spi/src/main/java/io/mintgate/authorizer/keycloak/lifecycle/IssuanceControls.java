package io.mintgate.authorizer.keycloak.lifecycle;

import io.mintgate.authorizer.keycloak.NhiAttributes;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reviews one creation or change of a non-human identity against the settings. A setting is checked when the request
 * creates it or changes it, never because it merely exists: an admin must always be able to disable or re-describe an
 * identity whose owner has left or whose expiry has passed, which is exactly when it matters most.
 */
public final class IssuanceControls {

    static final String OWNER = "attributes." + NhiAttributes.OWNER;
    static final String PURPOSE = "attributes." + NhiAttributes.PURPOSE;
    static final String EXPIRES_AT = "attributes." + NhiAttributes.EXPIRES_AT;

    /** What the review found: the violations that refuse the request, and the grants to switch off before saving. */
    public record Review(List<Violation> violations, Set<ControlledGrant> stripped) {
        public Review {
            violations = List.copyOf(violations);
            stripped = stripped.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(stripped));
        }

        public boolean refused() {
            return !violations.isEmpty();
        }

        /** The error_description: every violation, field first, in a stable order. */
        public String description() {
            return String.join("; ", violations.stream().map(Violation::description).toList());
        }
    }

    private IssuanceControls() {
    }

    /**
     * @param before the identity as it is now; null on create
     * @param after  the identity as the request would leave it
     */
    public static Review review(ControlSettings settings, ProposedIdentity before, ProposedIdentity after,
                                OwnerDirectory owners, Instant now) {
        List<Violation> violations = new ArrayList<>();
        Set<ControlledGrant> stripped = EnumSet.noneOf(ControlledGrant.class);
        boolean create = before == null;

        if (create || changed(before.owner(), after.owner())) {
            checkOwner(settings, after.owner(), owners, violations);
        }
        if ((create || changed(before.purpose(), after.purpose())) && settings.requirePurpose() && blank(after.purpose())) {
            violations.add(new Violation(PURPOSE, "required (what this identity is for)"));
        }
        if (create || changed(before.expiresAt(), after.expiresAt())) {
            checkExpiry(settings, after.expiresAt(), now, violations);
        }
        for (ControlledGrant grant : ControlledGrant.values()) {
            GrantControl control = settings.control(grant);
            boolean applies = grant != ControlledGrant.SERVICE_ACCOUNT_STANDARD_FLOW || after.serviceAccountsEnabled();
            boolean turnedOn = after.enabled(grant) && (create || !before.enabled(grant)
                    || (grant == ControlledGrant.SERVICE_ACCOUNT_STANDARD_FLOW && !before.serviceAccountsEnabled()));
            if (control == GrantControl.ALLOW || !applies || !turnedOn) {
                continue;
            }
            if (control == GrantControl.STRIP) {
                stripped.add(grant);
            } else {
                violations.add(new Violation(grant.field(), "not allowed by the issuance controls (" + grant.why() + ")"));
            }
        }
        return new Review(violations, stripped);
    }

    private static void checkOwner(ControlSettings settings, String owner, OwnerDirectory owners, List<Violation> violations) {
        if (blank(owner)) {
            if (settings.requireOwner()) {
                violations.add(new Violation(OWNER, "required (the user who owns this identity)"));
            }
            return;
        }
        switch (owners.status(owner.trim())) {
            case UNKNOWN -> violations.add(new Violation(OWNER, "no user '" + owner.trim() + "' in this realm"));
            case DISABLED -> violations.add(new Violation(OWNER, "user '" + owner.trim() + "' is disabled"));
            case ENABLED -> {
            }
        }
    }

    private static void checkExpiry(ControlSettings settings, String expiresAt, Instant now, List<Violation> violations) {
        String horizon = settings.maxLifetime() == null ? "" : ", at most " + settings.maxLifetimeText() + " from now";
        if (blank(expiresAt)) {
            if (settings.requireExpiry()) {
                violations.add(new Violation(EXPIRES_AT, "required (an ISO-8601 instant such as 2027-06-30T00:00:00Z"
                        + horizon + ")"));
            }
            return;
        }
        Instant expiry;
        try {
            expiry = Instant.parse(expiresAt.trim());
        } catch (DateTimeParseException e) {
            violations.add(new Violation(EXPIRES_AT, "'" + expiresAt.trim()
                    + "' is not an ISO-8601 instant such as 2027-06-30T00:00:00Z"));
            return;
        }
        if (!expiry.isAfter(now)) {
            violations.add(new Violation(EXPIRES_AT, expiry + " is not in the future"));
            return;
        }
        if (settings.maxLifetime() != null) {
            Instant latest = now.atOffset(ZoneOffset.UTC).plus(settings.maxLifetime()).toInstant();
            if (expiry.isAfter(latest)) {
                violations.add(new Violation(EXPIRES_AT, expiry + " is beyond the maximum lifetime "
                        + settings.maxLifetimeText() + " (latest allowed now: " + latest + ")"));
            }
        }
    }

    private static boolean changed(String before, String after) {
        return !Objects.equals(normalize(before), normalize(after));
    }

    private static String normalize(String value) {
        return blank(value) ? "" : value.trim();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
