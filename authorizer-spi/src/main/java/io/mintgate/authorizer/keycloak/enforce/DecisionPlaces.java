package io.mintgate.authorizer.keycloak.enforce;

import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.keycloak.context.EventMints;
import io.mintgate.authorizer.keycloak.context.FrontChannel;
import io.mintgate.authorizer.keycloak.context.IssuanceRequests;
import io.mintgate.authorizer.keycloak.handoff.DecisionDetails;
import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import io.mintgate.authorizer.keycloak.policies.RealmIssuancePolicies;
import io.mintgate.authorizer.policy.ActorInfo;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.Obligations;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.token.TokenInterceptorException;
import org.keycloak.protocol.oidc.token.TokenPostProcessorContext;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;

/**
 * The five places where a grant path is decided, one method each. The Keycloak hooks ({@link
 * IssuanceAuthorizerExecutor}, {@link IssuancePostProcessor}) only route to them; every place decides through
 * {@link IssuanceDecisions} and leaves what later steps need in the {@link RequestLedger}.
 *
 * <table>
 *   <caption>Where each grant path is decided</caption>
 *   <tr><th>#</th><th>method</th><th>Keycloak hook (event)</th><th>grant paths</th><th>refusal</th>
 *       <th>narrowing</th></tr>
 *   <tr><td>1</td><td>{@link #atTokenResponse}</td><td>executor, token-response events
 *       ({@link EventMints#TOKEN_RESPONSE_EVENTS})</td><td>authorization code, refresh, client credentials, password,
 *       device, CIBA, implicit/hybrid</td><td>{@code ClientPolicyException}</td><td>now, on the response builder
 *       (access, refresh and ID token; the refresh token can be dropped)</td></tr>
 *   <tr><td>2</td><td>{@link #atJwtAuthorizationGrant}</td><td>executor, {@code JWT_AUTHORIZATION_GRANT}</td>
 *       <td>JWT authorization grant (RFC 7523)</td><td>{@code ClientPolicyException} (the client sees
 *       {@code access_denied})</td><td>left pending in the ledger; the post-processor applies it</td></tr>
 *   <tr><td>3</td><td>{@link #beforeAuthentication}</td><td>executor, {@code AUTHORIZATION_REQUEST},
 *       {@code PUSHED_AUTHORIZATION_REQUEST}, {@code DEVICE_AUTHORIZATION_REQUEST},
 *       {@code BACKCHANNEL_AUTHENTICATION_REQUEST}</td><td>the requests that start a flow; only rules that can
 *       decide without the subject</td><td>{@code ClientPolicyException}</td><td>none: place 1 decides at token
 *       time</td></tr>
 *   <tr><td>4</td><td>{@link #deferUntilSubjectVerified} then {@link #afterSubjectVerified}</td><td>executor,
 *       {@code TOKEN_EXCHANGE_REQUEST} (deferred in the ledger); post-processor</td><td>token exchange
 *       (RFC 8693)</td><td>{@code TokenInterceptorException} and a {@code TOKEN_EXCHANGE_ERROR} event</td>
 *       <td>in the token build (the refresh token can only be expired)</td></tr>
 *   <tr><td>5</td><td>{@link #atEventlessGrant}</td><td>post-processor, with the realm's policies
 *       ({@link RealmIssuancePolicies})</td><td>UMA, OID4VCI pre-authorized code: no client-policy event</td>
 *       <td>{@code ErrorResponseException} (UMA) or {@code TokenInterceptorException}, and the grant's
 *       {@code *_ERROR} event</td><td>in the token build</td></tr>
 * </table>
 *
 * <p>The protocol mappers and the issuance-context condition decide nothing: the mappers narrow unconditionally
 * ({@link MapperNarrowing}), the condition only selects the client policies whose executors then decide here.
 */
public final class DecisionPlaces {

    /** The event a decision at place 5 names (the request's {@code event}): there is no client-policy event. */
    public static final String EVENTLESS_EVENT = "TOKEN_POST_PROCESSOR";

    private final KeycloakSession session;

    public DecisionPlaces(KeycloakSession session) {
        this.session = session;
    }

    /** Place 1: decides at a token-response event and narrows the tokens the builder is about to sign. */
    void atTokenResponse(IssuanceAuthorizerExecutor.PolicySource policy, EventMints.TokenResponse response)
            throws ClientPolicyException {
        IssuanceRequest request = IssuanceRequests.forEvent(session, response.mint());
        narrow(decide(policy, request), request, response.builder());
    }

    /**
     * Place 2: the assertion is verified and the user resolved; deciding here (not in the post-processor) is what
     * gives the client access_denied: the JWT grant turns post-processor exceptions into a bare invalid_grant. The
     * token is built after this event and no token-response event follows: the post-processor applies the
     * obligations.
     */
    void atJwtAuthorizationGrant(IssuanceAuthorizerExecutor.PolicySource policy, IssuanceRequests.Mint mint)
            throws ClientPolicyException {
        IssuanceRequest request = IssuanceRequests.forEvent(session, mint);
        RequestLedger ledger = RequestLedger.of(session);
        ledger.narrowLater(decide(policy, request).decision().obligations());
        if (!request.grant().authorizationDetails().isEmpty()) {
            ledger.grantLater(request.grant().authorizationDetails());
        }
    }

    /**
     * Place 3: nothing is minted yet, but a request that a rule on client-only facts refuses is refused now, before
     * the user logs in or a request_uri is handed out. The token-time decision still decides.
     */
    void beforeAuthentication(IssuanceAuthorizerExecutor.PolicySource policy, ClientPolicyContext context)
            throws ClientPolicyException {
        IssuanceRequests.Mint mint = FrontChannel.mint(session, context);
        if (mint == null || mint.client() == null) {
            return; // Keycloak refuses a request without an identified client itself
        }
        IssuanceDecisions.Outcome outcome = IssuanceDecisions.decideBeforeAuthentication(session, policy,
                () -> IssuanceRequests.forEvent(session, mint), FrontChannel.knownFacts(context.getEvent()));
        if (outcome != null && outcome.denied()) {
            throw new ClientPolicyException(Denials.error(outcome.decision()), outcome.description(),
                    Response.Status.BAD_REQUEST);
        }
    }

    /** Place 4, at the event: the subject token is verified only later; the post-processor decides. */
    void deferUntilSubjectVerified(String event, IssuanceAuthorizerExecutor.PolicySource policy) {
        RequestLedger.of(session).defer(event, policy);
    }

    /** Place 4, in the token build: decides the policies deferred at the token-exchange event. */
    void afterSubjectVerified(TokenBuild build, List<RequestLedger.Deferred> deferred) {
        for (RequestLedger.Deferred pending : deferred) {
            enforce(pending.policy(), build.request(session, pending.event()), build);
        }
    }

    /** Place 5: a grant path with no client-policy event, decided by the realm's policies that apply. */
    void atEventlessGrant(TokenBuild build) {
        IssuanceRequest request = build.request(session, EVENTLESS_EVENT);
        for (IssuanceAuthorizerExecutor.PolicySource policy : RealmIssuancePolicies.applicable(session, request)) {
            enforce(policy, request, build);
        }
    }

    /** What a token build in the post-processor knows about the grant it is building for. */
    record TokenBuild(String grantType, ClientModel client, UserModel user, ActorInfo actor,
                      MultivaluedMap<String, String> form, TokenPostProcessorContext context) {

        IssuanceRequest request(KeycloakSession session, String event) {
            return IssuanceRequests.build(session, new IssuanceRequests.Mint(event, grantType, client, user,
                    context.accessToken(), form, actor));
        }
    }

    private IssuanceDecisions.Outcome decide(IssuanceAuthorizerExecutor.PolicySource policy, IssuanceRequest request)
            throws ClientPolicyException {
        IssuanceDecisions.Outcome outcome = IssuanceDecisions.decide(session, policy, request);
        if (outcome.denied()) {
            throw new ClientPolicyException(Denials.error(outcome.decision()), outcome.description(),
                    Response.Status.BAD_REQUEST);
        }
        return outcome;
    }

    /** At a token-response event the builder can also drop the refresh token, which the post-processor cannot. */
    private void narrow(IssuanceDecisions.Outcome outcome, IssuanceRequest request,
                        TokenManager.AccessTokenResponseBuilder builder) {
        Obligations obligations = outcome.decision().obligations();
        if (builder == null) {
            return;
        }
        // the post-processor may still narrow the access token's lifetime (carried narrowing on refresh)
        IdTokenLifetime.remember(session, builder.getIdToken());
        String granted = GrantedAuthorizationDetails.apply(session, request, obligations, builder.getAccessToken(),
                builder.getRefreshToken(), null);
        if (obligations.isEmpty()) {
            IssuanceDecisions.recordNarrowing(session, granted);
            return;
        }
        String removed = join(Narrowing.apply(session, obligations, builder.getAccessToken(), builder.getRefreshToken(), null),
                granted);
        IdTokenLifetime.follow(builder.getIdToken(), builder.getAccessToken());
        if (!obligations.refreshTokenAllowed() && builder.getRefreshToken() != null) {
            builder.removeRefreshToken();
            removed = removed.isEmpty() ? "refresh_token:-" : removed + ";refresh_token:-";
        }
        IssuanceDecisions.recordNarrowing(session, removed);
    }

    private void enforce(IssuanceAuthorizerExecutor.PolicySource policy, IssuanceRequest request, TokenBuild build) {
        IssuanceDecisions.Outcome outcome = IssuanceDecisions.decide(session, policy, request);
        if (!outcome.denied()) {
            Obligations obligations = outcome.decision().obligations();
            IssuancePostProcessor.narrow(session, obligations, build.context());
            IssuanceDecisions.recordNarrowing(session, GrantedAuthorizationDetails.apply(session, request, obligations,
                    build.context().accessToken(), build.context().refreshToken(), build.context().clientSessionCtx()));
            return;
        }
        reportDenial(build, outcome);
        if (OAuth2Constants.UMA_GRANT_TYPE.equals(build.grantType())) {
            // The UMA endpoint turns any other exception (TokenInterceptorException included) into a 500.
            throw new ErrorResponseException(Denials.error(outcome.decision()), outcome.description(),
                    Response.Status.BAD_REQUEST);
        }
        throw new TokenInterceptorException(Denials.error(outcome.decision()), outcome.description());
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + ";" + b;
    }

    /** A refusal in the token build produces no Keycloak event by itself: send the {@code *_ERROR} an auditor expects. */
    private void reportDenial(TokenBuild build, IssuanceDecisions.Outcome outcome) {
        EventBuilder event = new EventBuilder(session.getContext().getRealm(), session, session.getContext().getConnection())
                .event(IssuancePostProcessor.eventType(build.grantType()))
                .client(build.client())
                .detail("grant_type", build.grantType())
                .detail("reason", "client_policy_error")
                .detail("client_policy_error", Denials.error(outcome.decision()))
                .detail("client_policy_error_detail", outcome.description());
        if (build.user() != null) {
            event.user(build.user());
        }
        for (Map.Entry<String, String> detail : DecisionDetails.of(outcome.decision()).entrySet()) {
            event.detail(detail.getKey(), detail.getValue());
        }
        event.error(Denials.error(outcome.decision()));
    }
}
