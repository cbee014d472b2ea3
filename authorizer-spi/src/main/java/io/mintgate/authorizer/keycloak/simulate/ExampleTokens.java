package io.mintgate.authorizer.keycloak.simulate;

import java.util.List;
import java.util.function.BiFunction;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.services.Urls;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

/**
 * The access token Keycloak would build for a client and subject, with the realm's real protocol mappers and client
 * scopes, in a transient user session that is removed afterwards — as Keycloak's own "Evaluate" tab of a client's
 * client scopes builds its example token. Never signed, never returned as a token: the simulator reads its contents.
 */
final class ExampleTokens {

    private ExampleTokens() {
    }

    /**
     * @param audience the clients a token exchange asks for ({@code audience}): the token's audience is limited to
     *                 them as Keycloak's exchange and the Evaluate tab limit it; empty for other grants
     */
    static <R> R with(KeycloakSession session, RealmModel realm, ClientModel client, UserModel user, String scope,
                      List<ClientModel> audience, BiFunction<AccessToken, ClientSessionContext, R> use) {
        return with(session, realm, client, client, user, scope, audience, use);
    }

    /**
     * @param tokenClient   the client the token is issued to (its lifetime settings and {@code azp})
     * @param sessionClient the client whose client session, client scopes and mappers build the token: the same
     *                      client, except on UMA, where Keycloak builds the requesting party token in a client session
     *                      of the resource server for the client whose access token was presented
     */
    static <R> R with(KeycloakSession session, RealmModel realm, ClientModel tokenClient, ClientModel sessionClient,
                      UserModel user, String scope, List<ClientModel> audience,
                      BiFunction<AccessToken, ClientSessionContext, R> use) {
        AuthenticationSessionManager authSessions = new AuthenticationSessionManager(session);
        AuthenticationSessionModel authSession = null;
        UserSessionModel userSession = null;
        try {
            RootAuthenticationSessionModel root = authSessions.createAuthenticationSession(realm, false);
            authSession = root.createAuthenticationSession(sessionClient);
            authSession.setAuthenticatedUser(user);
            authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
            authSession.setClientNote(OIDCLoginProtocol.ISSUER,
                    Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
            authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, scope);
            userSession = new UserSessionManager(session).createUserSession(root.getId(), realm, user,
                    user.getUsername(), "127.0.0.1", "mintgate-simulate", false, null, null,
                    UserSessionModel.SessionPersistenceState.TRANSIENT);
            AuthenticationManager.setClientScopesInSession(session, authSession);
            ClientSessionContext clientSessionCtx = TokenManager.attachAuthenticationSession(session, userSession,
                    authSession);
            if (!audience.isEmpty()) {
                clientSessionCtx.setAttribute(Constants.REQUESTED_AUDIENCE_CLIENTS, audience.toArray(ClientModel[]::new));
            }
            AccessToken token = new TokenManager()
                    .responseBuilder(realm, tokenClient, null, session, userSession, clientSessionCtx)
                    .generateAccessToken().getAccessToken();
            return use.apply(token, clientSessionCtx);
        } finally {
            if (authSession != null) {
                authSessions.removeAuthenticationSession(realm, authSession, false);
            }
            if (userSession != null && userSession.getPersistenceState() != UserSessionModel.SessionPersistenceState.TRANSIENT) {
                session.sessions().removeUserSession(realm, userSession);
            }
        }
    }
}
