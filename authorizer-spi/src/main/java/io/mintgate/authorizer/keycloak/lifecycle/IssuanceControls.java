package io.mintgate.authorizer.keycloak.lifecycle;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.mintgate.authorizer.keycloak.context.NhiAttributes;

/**
 * Reviews one creation or change of a non-human identity against the settings. A setting is checked when the request
 * creates it or changes it, never because it merely exists: an admin must always be able to disable or re-describe an
 * identity whose owner has left or whose expiry has passed, which is exactly when it matters most.
 */
public final class IssuanceControls {

    static final String OWNER = "attributes." + NhiAttributes.OWNER;
    static final String PURPOSE = "attributes." + NhiAttributes.PURPOSE;
    static final String EXPIRES_AT = "attributes." + NhiAttributes.EXPIRES_AT;

    /**
     * What the review found: the violations that refuse the request, the grants to switch off before saving, and the
     * owner's user id to save in place of what the request wrote (a username, or the id with blanks), else null.
     */
    public record Review(List<Violation> violations, Set<ControlledGrant> stripped, String ownerId) {
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

        OwnerDirectory.Owner owner = find(owners, after.owner());
        // Compared as the persons they name: typing the username of the current owner changes nothing.
        if (create || !ownerKey(find(owners, before.owner()), before.owner()).equals(ownerKey(owner, after.owner()))) {
            checkOwner(settings, after.owner(), owner, violations);
        }
        String ownerId = owner != null && !owner.id().equals(after.owner()) ? owner.id() : null;
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
        return new Review(violations, stripped, ownerId);
    }

    private static OwnerDirectory.Owner find(OwnerDirectory owners, String value) {
        return blank(value) ? null : owners.find(value.trim());
    }

    /** The owner's id when the value names a person, else the value itself (e.g. the id of a deleted owner). */
    private static String ownerKey(OwnerDirectory.Owner owner, String value) {
        return owner != null ? owner.id() : normalize(value);
    }

    private static void checkOwner(ControlSettings settings, String typed, OwnerDirectory.Owner owner,
                                   List<Violation> violations) {
        if (blank(typed)) {
            if (settings.requireOwner()) {
                violations.add(new Violation(OWNER, "required (the user who owns this identity)"));
            }
        } else if (owner == null) {
            violations.add(new Violation(OWNER, "no user '" + typed.trim() + "' in this realm"));
        } else if (!owner.enabled()) {
            violations.add(new Violation(OWNER, "user '" + owner.username() + "' is disabled"));
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
