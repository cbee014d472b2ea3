package io.mintgate.authorizer.keycloak.lifecycle;

import java.util.Map;

/**
 * A client as it will be once the create or update is saved: the proposed representation's values where it has them,
 * the existing client's (or Keycloak's defaults, on create) where it has not. No Keycloak types, so the controls
 * are unit-tested without a server.
 *
 * @param clientId the OAuth client_id, for messages and logs (may be empty: openid-connect registration assigns it)
 * @param owner    {@code mintgate.owner}, null or blank when absent or being removed
 * @param grants   the effective value of each controlled setting
 */
public record ProposedIdentity(String clientId, String owner, String purpose, String expiresAt,
                               boolean serviceAccountsEnabled, Map<ControlledGrant, Boolean> grants) {

    public ProposedIdentity {
        grants = Map.copyOf(grants);
    }

    boolean enabled(ControlledGrant grant) {
        return Boolean.TRUE.equals(grants.get(grant));
    }
}
