package io.mintgate.authorizer.policy;

import java.time.Instant;

/**
 * Non-human-identity metadata of the client: who owns it (the owner's user id, and their username as it is now),
 * whether that owner still exists and is enabled, when the identity expires ({@code null} = never) and what it is
 * for.
 */
public record NhiInfo(String owner, String ownerUsername, boolean ownerExists, boolean ownerEnabled, Instant expiresAt,
                      String purpose) {

    public static final NhiInfo NONE = new NhiInfo("", "", false, false, null, "");

    public NhiInfo {
        owner = Values.orEmpty(owner);
        ownerUsername = Values.orEmpty(ownerUsername);
        purpose = Values.orEmpty(purpose);
    }

    /** Without a username: for callers (tests, benchmarks) that do not look the owner up. */
    public NhiInfo(String owner, boolean ownerExists, boolean ownerEnabled, Instant expiresAt, String purpose) {
        this(owner, "", ownerExists, ownerEnabled, expiresAt, purpose);
    }

    public boolean present() {
        return !owner.isEmpty();
    }
}
