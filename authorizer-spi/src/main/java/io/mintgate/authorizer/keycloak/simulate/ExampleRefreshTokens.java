package io.mintgate.authorizer.keycloak.simulate;

import java.util.concurrent.TimeUnit;

import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.SessionExpirationUtils;
import org.keycloak.protocol.oidc.refresh.DefaultRefreshTokenProviderFactory;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.RefreshToken;
import org.keycloak.util.TokenUtil;

/**
 * The refresh token Keycloak's default refresh-token provider would issue with the example access token, for its
 * lifetime and type only: never signed, never stored. Keycloak's provider itself cannot be asked, because for an
 * offline token it creates the offline session as it builds the token; so this applies the provider's expiration rule
 * ({@code DefaultRefreshTokenProvider#getExpiration}) with Keycloak's own {@link SessionExpirationUtils}: the
 * client session's idle timeout (SSO Session Idle, or Client Session Idle of the session's client), capped by its
 * maximum (SSO Session Max, Client Session Max); for an offline token (scope {@code offline_access}) the offline
 * session's idle timeout and, only when Offline Session Max Limited is on, its maximum, else no expiry at all.
 */
final class ExampleRefreshTokens {

    private ExampleRefreshTokens() {
    }

    static RefreshToken of(AccessToken access, ClientSessionContext clientSessionCtx) {
        AuthenticatedClientSessionModel clientSession = clientSessionCtx.getClientSession();
        UserSessionModel userSession = clientSession.getUserSession();
        RefreshToken refresh = new RefreshToken(access, null, DefaultRefreshTokenProviderFactory.PROVIDER_ID);
        refresh.iat(access.getIat());
        boolean offline = clientSessionCtx.isOfflineTokenRequested();
        if (offline) {
            refresh.type(TokenUtil.TOKEN_TYPE_OFFLINE);
            if (userSession.getRealm().isOfflineSessionMaxLifespanEnabled()) {
                refresh.exp(expiration(access.getIat(), clientSession, userSession, true));
            }
        } else {
            refresh.exp(expiration(access.getIat(), clientSession, userSession, false));
        }
        return refresh;
    }

    /** Seconds from issuance to expiry; null when the token does not expire. */
    static Long lifetime(RefreshToken refresh) {
        return refresh.getExp() == null || refresh.getExp() == 0 || refresh.getIat() == null ? null
                : refresh.getExp() - refresh.getIat();
    }

    /** @param issuedAt Keycloak's provider first sets the client session's timestamp to the token's {@code iat} */
    private static long expiration(long issuedAt, AuthenticatedClientSessionModel clientSession,
                                   UserSessionModel userSession, boolean offline) {
        ClientModel client = clientSession.getClient();
        RealmModel realm = client.getRealm();
        long expiration = SessionExpirationUtils.calculateClientSessionIdleTimestamp(offline, userSession.isRememberMe(),
                TimeUnit.SECONDS.toMillis(issuedAt), realm, client);
        long lifespan = SessionExpirationUtils.calculateClientSessionMaxLifespanTimestamp(offline,
                userSession.isRememberMe(), TimeUnit.SECONDS.toMillis(clientSession.getStarted()),
                TimeUnit.SECONDS.toMillis(userSession.getStarted()), realm, client);
        expiration = lifespan > 0 ? Math.min(expiration, lifespan) : expiration;
        return TimeUnit.MILLISECONDS.toSeconds(expiration);
    }
}
