package io.mintgate.authorizer.keycloak.enforce;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.IDToken;

/**
 * Keycloak's token manager for the token endpoint, which only remembers each ID token it builds. The ID token is
 * built before the token post-processor narrows the access token (token exchange, JWT authorization grant, carried
 * narrowing on refresh), and the post-processor is given no ID token: remembered here, it follows the narrowed
 * access token's lifetime there ({@link IdTokenLifetime}).
 */
final class NarrowedTokenManager extends TokenManager {

    @Override
    public IDToken transformIDToken(KeycloakSession session, IDToken token, UserSessionModel userSession,
                                    ClientSessionContext clientSessionCtx) {
        IDToken idToken = super.transformIDToken(session, token, userSession, clientSessionCtx);
        IdTokenLifetime.remember(session, idToken);
        return idToken;
    }
}
