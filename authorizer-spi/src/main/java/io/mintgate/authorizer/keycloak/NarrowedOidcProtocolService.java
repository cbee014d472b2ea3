package io.mintgate.authorizer.keycloak;

import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.OIDCLoginProtocolService;
import org.keycloak.protocol.oidc.endpoints.UserInfoEndpoint;

/**
 * Keycloak's OpenID Connect endpoints, unchanged but for the userinfo endpoint, which gets Keycloak's own
 * {@link UserInfoEndpoint} with {@link NarrowedUserInfoClaims} in place of its token manager: that is the one object
 * the endpoint asks for the claims, and the only way in (the endpoint builds the client scopes it asks for itself).
 */
public class NarrowedOidcProtocolService extends OIDCLoginProtocolService {

    private final KeycloakSession session;

    public NarrowedOidcProtocolService(KeycloakSession session, EventBuilder event) {
        super(session, event);
        this.session = session;
    }

    @Override
    public Object issueUserInfo() {
        return new UserInfoEndpoint(session, new NarrowedUserInfoClaims());
    }
}
