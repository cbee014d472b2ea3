package io.mintgate.authorizer.surface;

import java.util.List;

/**
 * What of one client's configuration decides which tokens it can obtain: read from Keycloak by the adapter, so that
 * the grant paths and posture findings are computed without Keycloak types.
 *
 * @param accessTokenLifespanSeconds the access token lifetime in effect (the client's own, else the realm's)
 * @param offlineAccessScope         {@code offline_access} is one of the client's default or optional scopes
 * @param refreshTokenRotation       the realm revokes a refresh token when it is used (rotation)
 * @param realmHasResourceServers    some client of the realm has authorization services (UMA grants can target it)
 * @param owner                      {@code mintgate.owner}, or null
 * @param expiresAt                  {@code mintgate.expires-at}, or null
 */
public record ClientSurface(String clientId, String id, boolean publicClient, boolean bearerOnly,
                            boolean standardFlow, boolean implicitFlow, boolean directAccessGrants,
                            boolean serviceAccounts, boolean deviceGrant, boolean ciba, boolean tokenExchange,
                            boolean tokenExchangeRefresh, boolean jwtAuthorizationGrant,
                            List<String> jwtGrantIdentityProviders, boolean oid4vci, boolean parRequired,
                            boolean useRefreshTokens, boolean clientCredentialsRefresh, boolean offlineAccessScope,
                            boolean dpopBound, boolean mtlsBound, boolean refreshTokenRotation,
                            List<String> redirectUris,
                            boolean fullScopeAllowed, long accessTokenLifespanSeconds,
                            boolean realmHasResourceServers, String owner, String expiresAt) {

    public ClientSurface {
        jwtGrantIdentityProviders = List.copyOf(jwtGrantIdentityProviders);
        redirectUris = List.copyOf(redirectUris);
    }

    /** For tests and tools: a confidential client with every switch off and Keycloak's defaults otherwise. */
    public static final class Builder {
        private String clientId = "client";
        private boolean publicClient;
        private boolean bearerOnly;
        private boolean standardFlow;
        private boolean implicit;
        private boolean directAccess;
        private boolean serviceAccounts;
        private boolean deviceGrant;
        private boolean ciba;
        private boolean tokenExchange;
        private boolean jwtGrant;
        private boolean oid4vci;
        private boolean useRefreshTokens = true;
        private boolean clientCredentialsRefresh;
        private boolean offlineScope;
        private boolean dpop;
        private boolean rotation;
        private List<String> redirectUris = List.of();
        private boolean fullScope;
        private long lifespan = 300;
        private boolean resourceServers;
        private String owner;
        private String expiresAt;

        public Builder publicClient() { publicClient = true; return this; }
        public Builder bearerOnly() { bearerOnly = true; return this; }
        public Builder standardFlow() { standardFlow = true; return this; }
        public Builder implicit() { implicit = true; return this; }
        public Builder directAccess() { directAccess = true; return this; }
        public Builder serviceAccounts() { serviceAccounts = true; return this; }
        public Builder deviceGrant() { deviceGrant = true; return this; }
        public Builder ciba() { ciba = true; return this; }
        public Builder tokenExchange() { tokenExchange = true; return this; }
        public Builder jwtGrant() { jwtGrant = true; return this; }
        public Builder oid4vci() { oid4vci = true; return this; }
        public Builder noRefreshTokens() { useRefreshTokens = false; return this; }
        public Builder clientCredentialsRefresh() { clientCredentialsRefresh = true; return this; }
        public Builder offlineScope() { offlineScope = true; return this; }
        public Builder dpop() { dpop = true; return this; }
        public Builder rotation() { rotation = true; return this; }
        public Builder redirectUris(String... uris) { redirectUris = List.of(uris); return this; }
        public Builder fullScope() { fullScope = true; return this; }
        public Builder lifespan(long seconds) { lifespan = seconds; return this; }
        public Builder resourceServers() { resourceServers = true; return this; }
        public Builder owned() { owner = "owner-id"; expiresAt = "2099-01-01T00:00:00Z"; return this; }

        public ClientSurface build() {
            return new ClientSurface(clientId, clientId + "-id", publicClient, bearerOnly, standardFlow, implicit,
                    directAccess, serviceAccounts, deviceGrant, ciba, tokenExchange, false, jwtGrant, List.of(),
                    oid4vci, false, useRefreshTokens, clientCredentialsRefresh, offlineScope, dpop, false, rotation,
                    redirectUris, fullScope, lifespan, resourceServers, owner, expiresAt);
        }
    }
}
