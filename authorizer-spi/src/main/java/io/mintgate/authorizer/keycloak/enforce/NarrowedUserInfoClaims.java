package io.mintgate.authorizer.keycloak.enforce;

import java.util.Set;
import java.util.stream.Collectors;

import io.mintgate.authorizer.keycloak.context.ScopeStrings;
import io.mintgate.authorizer.policy.Obligations;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuthErrorException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.util.DefaultClientSessionContext;

/**
 * The userinfo claims of a narrowed access token. Keycloak's userinfo endpoint runs the userinfo mappers of the
 * client's default scopes plus the optional scopes named in the token, so a default scope that narrowing removed
 * (e.g. {@code email}) would give its claims back; here the mappers run only for the scopes the token names, the
 * client's own mappers and the scopes that never appear in a scope string. Roles and audiences are kept to those the
 * token carries. Everything else is Keycloak's {@link TokenManager}; a token that carries no narrowing is answered
 * exactly as Keycloak answers it.
 */
final class NarrowedUserInfoClaims extends TokenManager {

    @Override
    public AccessToken transformUserInfoAccessToken(KeycloakSession session, AccessToken bearer, AccessToken userInfo,
                                                    UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        Obligations carried;
        try {
            carried = CarriedObligations.read(bearer);
        } catch (CarriedObligations.Unreadable e) {
            throw new ErrorResponseException(OAuthErrorException.INVALID_TOKEN,
                    "The token's narrowing cannot be read.", Response.Status.UNAUTHORIZED);
        }
        if (carried.isEmpty()) {
            return super.transformUserInfoAccessToken(session, bearer, userInfo, userSession, clientSessionCtx);
        }
        ClientSessionContext context = carried.keepScopes() == null ? clientSessionCtx
                : onlyScopesOf(bearer.getScope(), clientSessionCtx, session);
        AccessToken claims = super.transformUserInfoAccessToken(session, bearer, userInfo, userSession, context);
        RederivedNarrowing.narrow(bearer, claims, carried, !LightweightTokens.isLightweight(session, bearer));
        return claims;
    }

    /** The client scopes of {@code context} that the (narrowed, signed) token's {@code scope} still names. */
    static ClientSessionContext onlyScopesOf(String tokenScope, ClientSessionContext context, KeycloakSession session) {
        Set<String> named = Set.copyOf(ScopeStrings.split(tokenScope));
        Set<ClientScopeModel> kept = context.getClientScopesStream()
                .filter(scope -> keeps(scope, named))
                .collect(Collectors.toSet());
        return DefaultClientSessionContext.fromClientSessionAndClientScopes(context.getClientSession(), kept, null, session);
    }

    /** A scope narrowing could not have removed (the client itself, one never written into a scope string) stays. */
    static boolean keeps(ClientScopeModel scope, Set<String> named) {
        return scope instanceof ClientModel || !scope.isIncludeInTokenScope() || named.contains(scope.getName());
    }
}
