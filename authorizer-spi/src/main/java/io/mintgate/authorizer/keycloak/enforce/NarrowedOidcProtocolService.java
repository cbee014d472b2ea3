package io.mintgate.authorizer.keycloak.enforce;

import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.OIDCLoginProtocolService;
import org.keycloak.protocol.oidc.endpoints.TokenEndpoint;
import org.keycloak.protocol.oidc.endpoints.UserInfoEndpoint;

/**
 * Keycloak's OpenID Connect endpoints with two of Keycloak's own endpoint objects given a different token manager:
 * the userinfo endpoint gets {@link NarrowedUserInfoClaims}, the one object it asks for the claims and the only way in
 * (it builds the client scopes it asks for itself); the token endpoint gets {@link NarrowedTokenManager}, so that every
 * grant's ID token can follow the access token's narrowed lifetime. Everything else is Keycloak's.
 */
public class NarrowedOidcProtocolService extends OIDCLoginProtocolService {

    private final KeycloakSession session;
    private final EventBuilder event;

    public NarrowedOidcProtocolService(KeycloakSession session, EventBuilder event) {
        super(session, event);
        this.session = session;
        this.event = event;
    }

    @Override
    public Object token() {
        return new TokenEndpoint(session, new NarrowedTokenManager(), event);
    }

    @Override
    public Object issueUserInfo() {
        return new UserInfoEndpoint(session, new NarrowedUserInfoClaims());
    }
}
