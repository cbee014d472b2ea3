package io.mintgate.authorizer.keycloak.enforce;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.mintgate.authorizer.keycloak.context.EventMints;
import io.mintgate.authorizer.keycloak.context.DelegationChain;
import io.mintgate.authorizer.keycloak.context.IssuanceRequests;
import io.mintgate.authorizer.keycloak.context.SubjectTokens;
import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import io.mintgate.authorizer.policy.ActorInfo;
import io.mintgate.authorizer.policy.AuthorizationDetails;
import io.mintgate.authorizer.policy.Obligations;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
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
import org.keycloak.representations.JsonWebToken;
import org.keycloak.util.JsonSerialization;

/**
 * Runs inside every token build, after the client-policy events: takes the decisions that had to wait for Keycloak
 * to verify the subject (token exchange, JWT grant), and decides on the paths that fire no client-policy event at all
 * (UMA, OID4VCI pre-authorized code): places 4 and 5 of {@link DecisionPlaces}, which also sends the
 * {@code *_ERROR} event an auditor expects, since a refusal here produces no Keycloak event by itself. Before that it
 * applies the narrowing that was left for the token build: carried in a refresh or subject token, or pending.
 */
public final class IssuancePostProcessor implements TokenPostProcessor {

    /** OID4VCI pre-authorized code grant (Keycloak's PreAuthorizedCodeGrant.PRE_AUTH_GRANT_TYPE). */
    public static final String PRE_AUTHORIZED_CODE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:pre-authorized_code";

    /** Grant paths on which Keycloak fires no client-policy event: the realm's policies are found here instead. */
    private static final Set<String> EVENTLESS_GRANT_TYPES = Set.of(OAuth2Constants.UMA_GRANT_TYPE,
            PRE_AUTHORIZED_CODE_GRANT_TYPE);

    private final KeycloakSession session;
    private final DecisionPlaces places;

    public IssuancePostProcessor(KeycloakSession session) {
        this.session = session;
        this.places = new DecisionPlaces(session);
    }

    @Override
    public void process(TokenPostProcessorContext context) {
        if (context.accessToken() == null || context.clientSessionCtx() == null) {
            return;
        }
        decideAndNarrow(context);
        IdTokenLifetime.followRemembered(session, context.accessToken());
    }

    private void decideAndNarrow(TokenPostProcessorContext context) {
        reapplyCarriedNarrowing(context);
        Obligations pendingNarrowing = RequestLedger.of(session).takePendingNarrowing();
        if (pendingNarrowing != null) {
            narrow(pendingNarrowing, context);
        }
        List<Map<String, Object>> pendingCells = RequestLedger.of(session).takePendingAuthorizationDetails();
        if (pendingCells != null) {
            IssuanceDecisions.recordNarrowing(session, GrantedAuthorizationDetails.apply(session, pendingCells,
                    pendingNarrowing, context.accessToken(), context.refreshToken(), context.clientSessionCtx()));
        }
        MultivaluedMap<String, String> form = EventMints.formOf(session);
        String formGrantType = IssuanceRequests.first(form, OAuth2Constants.GRANT_TYPE);
        JsonWebToken subjectToken = null;
        if (OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE.equals(formGrantType)) {
            subjectToken = subjectToken(form);
            applySubjectTokenNarrowing(subjectToken, context);
            boundBySubjectToken(subjectToken);
        }
        List<RequestLedger.Deferred> deferred = RequestLedger.of(session).takeDeferred();
        boolean eventless = EVENTLESS_GRANT_TYPES.contains(formGrantType) && !IssuanceDecisions.decided(session);
        if (deferred.isEmpty() && !eventless) {
            return;
        }
        ClientSessionContext clientSessionCtx = context.clientSessionCtx();
        AuthenticatedClientSessionModel clientSession = clientSessionCtx.getClientSession();
        UserModel user = clientSession.getUserSession() == null ? null : clientSession.getUserSession().getUser();
        String grantType = grantType(clientSessionCtx, formGrantType);
        ClientModel client = requestingClient(grantType, context.accessToken().getIssuedFor(), clientSession.getClient(),
                session.getContext().getRealm()::getClientByClientId);
        ActorInfo actor = OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE.equals(grantType)
                ? new ActorInfo(client.getClientId(), "", priorActors(subjectToken)) : ActorInfo.NONE;
        DecisionPlaces.TokenBuild build = new DecisionPlaces.TokenBuild(grantType, client, user, actor, form, context);
        try {
            if (eventless) {
                places.atEventlessGrant(build);
            } else {
                places.afterSubjectVerified(build, deferred);
            }
        } catch (IssuanceRequests.InvalidAuthorizationDetails e) {
            throw new TokenInterceptorException(IssuanceRequests.InvalidAuthorizationDetails.ERROR, e.getMessage());
        }
    }

    private static List<ActorInfo.Prior> priorActors(JsonWebToken subjectToken) {
        try {
            return DelegationChain.priorActors(subjectToken);
        } catch (DelegationChain.Unreadable e) {
            throw new TokenInterceptorException(OAuthErrorException.INVALID_REQUEST, "The subject token's act claim cannot be read.");
        }
    }

    /** A refresh never yields more than the refresh token was narrowed to, whatever the policy says today. */
    private void reapplyCarriedNarrowing(TokenPostProcessorContext context) {
        Obligations carried;
        try {
            carried = CarriedObligations.read(context.requestRefreshToken());
        } catch (CarriedObligations.Unreadable e) {
            throw new TokenInterceptorException(OAuthErrorException.INVALID_GRANT, "The refresh token's narrowing cannot be read.");
        }
        if (!carried.isEmpty()) {
            IssuanceDecisions.recordNarrowing(session, Narrowing.apply(session, carried, context.accessToken(),
                    context.refreshToken(), context.clientSessionCtx()));
        }
    }

    /** An exchanged token is never broader than its subject token was narrowed to, whatever the policy says today. */
    private static JsonWebToken subjectToken(MultivaluedMap<String, String> form) {
        try {
            return SubjectTokens.payload(form);
        } catch (SubjectTokens.Unreadable e) {
            throw new TokenInterceptorException(OAuthErrorException.INVALID_REQUEST, "The subject token's narrowing cannot be read.");
        }
    }

    /**
     * An exchanged token is granted no RFC 9396 cell beyond the subject token's, when the subject token carries
     * {@code authorization_details}; one that carries them unreadably bounds them to nothing (fail closed).
     */
    private void boundBySubjectToken(JsonWebToken subjectToken) {
        Object cells = subjectToken == null ? null : subjectToken.getOtherClaims().get(OAuth2Constants.AUTHORIZATION_DETAILS);
        if (cells == null) {
            return;
        }
        List<Map<String, Object>> bound;
        try {
            bound = AuthorizationDetails.parse(JsonSerialization.writeValueAsString(cells));
        } catch (AuthorizationDetails.Malformed | java.io.IOException e) {
            bound = List.of();
        }
        RequestLedger.of(session).boundAuthorizationDetails(bound);
    }

    private void applySubjectTokenNarrowing(JsonWebToken subjectToken, TokenPostProcessorContext context) {
        Obligations carried;
        try {
            carried = SubjectTokenNarrowing.of(subjectToken);
        } catch (CarriedObligations.Unreadable e) {
            throw new TokenInterceptorException(OAuthErrorException.INVALID_REQUEST, "The subject token's narrowing cannot be read.");
        }
        if (!carried.isEmpty()) {
            narrow(carried, context);
        }
    }

    /** Narrows what this token build holds (see {@link #narrow(KeycloakSession, Obligations, TokenPostProcessorContext)}). */
    private void narrow(Obligations obligations, TokenPostProcessorContext context) {
        narrow(session, obligations, context);
    }

    /** No response builder here: a refresh token that policy forbids cannot be dropped, only expired now. */
    static void narrow(KeycloakSession session, Obligations obligations, TokenPostProcessorContext context) {
        String removed = Narrowing.apply(session, obligations, context.accessToken(), context.refreshToken(),
                context.clientSessionCtx());
        if (!obligations.refreshTokenAllowed() && context.refreshToken() != null) {
            context.refreshToken().exp((long) org.keycloak.common.util.Time.currentTime());
            removed = removed.isEmpty() ? "refresh_token:expired" : removed + ";refresh_token:expired";
        }
        IssuanceDecisions.recordNarrowing(session, removed);
    }

    /**
     * The requesting OAuth client. On the UMA path Keycloak builds the requesting party token in a client session of
     * the resource server (the {@code audience}), while the token is issued to, and Keycloak's own
     * {@code PERMISSION_TOKEN} event names, the client whose access token was presented: the token's {@code azp}.
     * Everywhere else the client session's client is the requester.
     */
    static ClientModel requestingClient(String grantType, String issuedFor, ClientModel sessionClient,
                                        Function<String, ClientModel> byClientId) {
        if (!OAuth2Constants.UMA_GRANT_TYPE.equals(grantType) || issuedFor == null
                || issuedFor.equals(sessionClient.getClientId())) {
            return sessionClient;
        }
        ClientModel requester = byClientId.apply(issuedFor);
        return requester != null ? requester : sessionClient;
    }

    private static String grantType(ClientSessionContext clientSessionCtx, String formGrantType) {
        String grantType = clientSessionCtx.getAttribute(Constants.GRANT_TYPE, String.class);
        return grantType == null ? formGrantType : grantType;
    }

    /**
     * The event type Keycloak itself uses for the grant (its {@code getEventType()}), so the refusal is reported under
     * the same {@code *_ERROR} an auditor filters on: Keycloak sends none when a post-processor refuses.
     */
    static EventType eventType(String grantType) {
        return switch (grantType) {
            case OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE -> EventType.TOKEN_EXCHANGE;
            case OAuth2Constants.UMA_GRANT_TYPE -> EventType.PERMISSION_TOKEN;
            case OAuth2Constants.JWT_AUTHORIZATION_GRANT -> EventType.JWT_AUTHORIZATION_GRANT;
            case PRE_AUTHORIZED_CODE_GRANT_TYPE -> EventType.VERIFIABLE_CREDENTIAL_PRE_AUTHORIZED_GRANT;
            default -> EventType.LOGIN;
        };
    }

    @Override
    public void close() {
    }
}
