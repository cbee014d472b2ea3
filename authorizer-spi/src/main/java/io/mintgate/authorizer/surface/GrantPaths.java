package io.mintgate.authorizer.surface;

import java.util.ArrayList;
import java.util.List;

/** The grant paths a client's configuration opens, in the order of {@link GrantPath}. */
public final class GrantPaths {

    private GrantPaths() {
    }

    public static List<GrantPath> of(ClientSurface c) {
        List<GrantPath> paths = new ArrayList<>();
        if (c.bearerOnly()) {
            return paths;
        }
        if (c.standardFlow()) {
            paths.add(GrantPath.AUTHORIZATION_CODE);
        }
        if (c.implicitFlow()) {
            paths.add(GrantPath.IMPLICIT);
        }
        if (c.standardFlow() && c.implicitFlow()) {
            paths.add(GrantPath.HYBRID);
        }
        if (c.standardFlow()) {
            paths.add(GrantPath.PUSHED_AUTHORIZATION_REQUEST);
        }
        if (c.directAccessGrants()) {
            paths.add(GrantPath.PASSWORD);
        }
        boolean clientCredentials = c.serviceAccounts() && !c.publicClient();
        if (clientCredentials) {
            paths.add(GrantPath.CLIENT_CREDENTIALS);
        }
        if (issuesRefreshTokens(c, clientCredentials)) {
            paths.add(GrantPath.REFRESH_TOKEN);
            if (c.offlineAccessScope()) {
                paths.add(GrantPath.OFFLINE_ACCESS);
            }
        }
        if (c.deviceGrant()) {
            paths.add(GrantPath.DEVICE_CODE);
        }
        if (c.ciba() && !c.publicClient()) {
            paths.add(GrantPath.CIBA);
        }
        if (c.tokenExchange() && !c.publicClient()) {
            paths.add(GrantPath.TOKEN_EXCHANGE);
        }
        if (c.jwtAuthorizationGrant()) {
            paths.add(GrantPath.JWT_AUTHORIZATION_GRANT);
        }
        if (c.realmHasResourceServers()) {
            paths.add(GrantPath.UMA);
        }
        if (c.oid4vci()) {
            paths.add(GrantPath.OID4VCI);
        }
        return paths;
    }

    /** Keycloak issues refresh tokens on the user flows unless the client turned them off, and on client credentials only when asked. */
    private static boolean issuesRefreshTokens(ClientSurface c, boolean clientCredentials) {
        if (!c.useRefreshTokens()) {
            return false;
        }
        return c.standardFlow() || c.directAccessGrants() || c.deviceGrant() || c.ciba()
                || clientCredentials && c.clientCredentialsRefresh()
                || c.tokenExchange() && c.tokenExchangeRefresh();
    }
}
