package io.mintgate.authorizer.policy;

import java.time.Instant;

/**
 * Non-human-identity metadata of the client: who owns it, whether that owner still exists and is enabled,
 * when the identity expires ({@code null} = never) and what it is for.
 */
public record NhiInfo(String owner, boolean ownerExists, boolean ownerEnabled, Instant expiresAt, String purpose) {

    public static final NhiInfo NONE = new NhiInfo("", false, false, null, "");

    public NhiInfo {
        owner = Values.orEmpty(owner);
        purpose = Values.orEmpty(purpose);
    }

    public boolean present() {
        return !owner.isEmpty();
    }
}
