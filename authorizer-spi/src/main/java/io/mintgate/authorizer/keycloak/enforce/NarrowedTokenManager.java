package io.mintgate.authorizer.keycloak.enforce;

import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.IDToken;

/**
 * Keycloak's token manager for the token endpoint, which only remembers each ID token it builds. The ID token is
 * built before the token post-processor narrows the access token (token exchange, JWT authorization grant, carried
 * narrowing on refresh), and the post-processor is given no ID token: remembered here, it follows the narrowed
 * access token's lifetime there ({@link IdTokenLifetime}). It also writes the RFC 9396 cells Mintgate granted the
 * access token ({@link GrantedAuthorizationDetails}) into the response's {@code authorization_details} (section 7):
 * as a member of its own, since Keycloak's typed member is passed through its processors, which refuse every type
 * but OID4VCI's.
 */
final class NarrowedTokenManager extends TokenManager {

    @Override
    public IDToken transformIDToken(KeycloakSession session, IDToken token, UserSessionModel userSession,
                                    ClientSessionContext clientSessionCtx) {
        IDToken idToken = super.transformIDToken(session, token, userSession, clientSessionCtx);
        IdTokenLifetime.remember(session, idToken);
        return idToken;
    }

    @Override
    public AccessTokenResponse transformAccessTokenResponse(KeycloakSession session, AccessTokenResponse response,
                                                            UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        AccessTokenResponse answer = super.transformAccessTokenResponse(session, response, userSession, clientSessionCtx);
        // a request no policy decided opens no ledger here
        RequestLedger ledger = RequestLedger.ifOpen(session);
        List<Map<String, Object>> granted = ledger == null ? null : ledger.takeGrantedAuthorizationDetails();
        if (granted != null && answer.getAuthorizationDetails() == null) {
            answer.setOtherClaims(OAuth2Constants.AUTHORIZATION_DETAILS, granted);
        }
        return answer;
    }
}
