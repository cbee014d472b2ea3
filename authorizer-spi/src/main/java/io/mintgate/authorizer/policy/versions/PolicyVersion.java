package io.mintgate.authorizer.policy.versions;

import java.time.Instant;

/**
 * One saved text of a stored policy.
 *
 * @param version the hash decisions name ({@code sha256:<16 hex>} of the text, {@code PolicySet#version})
 * @param savedBy the saving admin's user id, or {@code null} when no admin was signed in (realm import at start)
 * @param client  the client the admin used (the admin token's {@code azp}), or {@code null}
 */
public record PolicyVersion(String version, Instant savedAt, String savedBy, String client, String policy) {
}
