package io.mintgate.authorizer.keycloak;

import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.policy.ActorInfo;
import io.mintgate.authorizer.policy.IssuanceRequest;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.OAuth2Constants;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.token.TokenInterceptorException;
import org.keycloak.protocol.oidc.token.TokenPostProcessor;
import org.keycloak.protocol.oidc.token.TokenPostProcessorContext;

/**
 * Runs inside every token build, after the client-policy events: takes the decisions that had to wait for Keycloak
 * to verify the subject (token exchange, JWT grant). A refusal here produces no Keycloak event by itself, so this
 * class sends the {@code *_ERROR} event an auditor expects.
 */
final class IssuancePostProcessor implements TokenPostProcessor {

    private final KeycloakSession session;

    IssuancePostProcessor(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void process(TokenPostProcessorContext context) {
        if (context.accessToken() == null || context.clientSessionCtx() == null) {
            return;
        }
        List<DeferredPolicies.Deferred> deferred = DeferredPolicies.take(session);
        if (deferred.isEmpty()) {
            return;
        }
        ClientSessionContext clientSessionCtx = context.clientSessionCtx();
        AuthenticatedClientSessionModel clientSession = clientSessionCtx.getClientSession();
        ClientModel client = clientSession.getClient();
        UserModel user = clientSession.getUserSession() == null ? null : clientSession.getUserSession().getUser();
        String grantType = grantType(clientSessionCtx);
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        ActorInfo actor = OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE.equals(grantType)
                ? new ActorInfo(client.getClientId(), "") : ActorInfo.NONE;
        for (DeferredPolicies.Deferred pending : deferred) {
            IssuanceRequest request = IssuanceRequests.build(session, new IssuanceRequests.Mint(
                    pending.event(), grantType, client, user, context.accessToken(), form, actor));
            Enforcement.Outcome outcome = Enforcement.decide(session, pending.policy(), request);
            if (outcome.denied()) {
                reportDenial(grantType, client, user, outcome);
                throw new TokenInterceptorException(Denials.ERROR, outcome.description());
            }
        }
    }

    private void reportDenial(String grantType, ClientModel client, UserModel user, Enforcement.Outcome outcome) {
        EventBuilder event = new EventBuilder(session.getContext().getRealm(), session, session.getContext().getConnection())
                .event(eventType(grantType))
                .client(client)
                .detail("grant_type", grantType)
                .detail("reason", "client_policy_error")
                .detail("client_policy_error", Denials.ERROR)
                .detail("client_policy_error_detail", outcome.description());
        if (user != null) {
            event.user(user);
        }
        for (Map.Entry<String, String> detail : DecisionDetails.of(outcome.decision()).entrySet()) {
            event.detail(detail.getKey(), detail.getValue());
        }
        event.error(Denials.ERROR);
    }

    private static String grantType(ClientSessionContext clientSessionCtx) {
        String grantType = clientSessionCtx.getAttribute(Constants.GRANT_TYPE, String.class);
        return grantType == null ? "" : grantType;
    }

    private static EventType eventType(String grantType) {
        return switch (grantType) {
            case OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE -> EventType.TOKEN_EXCHANGE;
            case OAuth2Constants.UMA_GRANT_TYPE -> EventType.PERMISSION_TOKEN;
            case OAuth2Constants.JWT_AUTHORIZATION_GRANT -> EventType.JWT_AUTHORIZATION_GRANT;
            default -> EventType.LOGIN;
        };
    }

    @Override
    public void close() {
    }
}
