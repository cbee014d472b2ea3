package io.mintgate.authorizer.keycloak.enforce;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.mintgate.authorizer.keycloak.IssuanceAuthorizerExecutorFactory;
import io.mintgate.authorizer.keycloak.clientpolicy.SharedConfiguration;
import io.mintgate.authorizer.keycloak.context.EventMints;
import io.mintgate.authorizer.keycloak.context.FrontChannel;
import io.mintgate.authorizer.keycloak.context.IssuanceRequests;
import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyValidationException;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyEvent;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.JWTAuthorizationGrantContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

/**
 * Decides at the token-response event of each grant path: by then Keycloak has authenticated the client, verified
 * the code / refresh token / device code / auth_req_id, resolved the user and built (not yet signed) the tokens, so
 * the policy sees verified facts and what is about to be minted. Paths without a response event (token exchange,
 * UMA) are decided by the token post-processor, which runs once Keycloak has verified the subject token. The requests
 * that start a flow (authorization, PAR, device and CIBA authentication requests) are refused early by the rules that
 * can decide without the subject ({@link FrontChannel}); the token-time decision is taken all the same.
 */
public final class IssuanceAuthorizerExecutor implements ClientPolicyExecutorProvider<IssuanceAuthorizerConfiguration>, SharedConfiguration {

    /**
     * Every client-policy event at which this executor does something, and the only ones it looks at; on the others
     * (the token-request events before a response, registration, introspection, logout, ...) it does nothing, which
     * the {@code issuance-events} condition uses to spare Keycloak setting the executor up there.
     */
    public static final Set<ClientPolicyEvent> DECIDING_EVENTS;

    static {
        EnumSet<ClientPolicyEvent> events = EnumSet.copyOf(EventMints.TOKEN_RESPONSE_EVENTS);
        events.addAll(List.of(ClientPolicyEvent.TOKEN_EXCHANGE_REQUEST, ClientPolicyEvent.JWT_AUTHORIZATION_GRANT,
                ClientPolicyEvent.AUTHORIZATION_REQUEST, ClientPolicyEvent.PUSHED_AUTHORIZATION_REQUEST,
                ClientPolicyEvent.DEVICE_AUTHORIZATION_REQUEST, ClientPolicyEvent.BACKCHANNEL_AUTHENTICATION_REQUEST));
        DECIDING_EVENTS = Collections.unmodifiableSet(events);
    }

    private final KeycloakSession session;
    private IssuanceAuthorizerConfiguration configuration;

    public IssuanceAuthorizerExecutor(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void setupConfiguration(IssuanceAuthorizerConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Class<IssuanceAuthorizerConfiguration> getExecutorConfigurationClass() {
        return IssuanceAuthorizerConfiguration.class;
    }

    @Override
    public String getProviderId() {
        return IssuanceAuthorizerExecutorFactory.PROVIDER_ID;
    }

    @Override
    public void executeOnEvent(ClientPolicyContext context) throws ClientPolicyException {
        if (!DECIDING_EVENTS.contains(context.getEvent())) {
            // The set is the one truth the issuance-events condition votes by: an event missing from it is ignored
            // here too, under any condition, so the two cannot drift apart into a silently skipped decision.
            return;
        }
        switch (context.getEvent()) {
            case TOKEN_EXCHANGE_REQUEST ->
                // The subject token is verified only later: decide in the post-processor, in the same request.
                    RequestLedger.of(session).defer(context.getEvent().name(), policy());
            case JWT_AUTHORIZATION_GRANT ->
                // Assertion verified and user resolved; deciding here (not in the post-processor) is what gives the
                // client access_denied: the JWT grant turns post-processor exceptions into a bare invalid_grant.
                // The token is built after this event and no token-response event follows: the post-processor
                // applies the obligations.
                    RequestLedger.of(session).narrowLater(decide(EventMints.atJwtAuthorizationGrant(session,
                            (JWTAuthorizationGrantContext) context)).decision().obligations());
            case AUTHORIZATION_REQUEST, PUSHED_AUTHORIZATION_REQUEST, DEVICE_AUTHORIZATION_REQUEST,
                 BACKCHANNEL_AUTHENTICATION_REQUEST ->
                // Nothing is minted yet, but a request that a rule on client-only facts refuses is refused now,
                // before the user logs in or a request_uri is handed out. The token-time decision still decides.
                    refuseBeforeAuthentication(context);
            default -> {
                EventMints.TokenResponse response = EventMints.atTokenResponse(context);
                if (response != null) {
                    narrow(decide(response.mint()), response.builder());
                }
            }
        }
    }

    private IssuanceDecisions.Outcome decide(IssuanceRequests.Mint mint) throws ClientPolicyException {
        IssuanceDecisions.Outcome outcome = IssuanceDecisions.decide(session, policy(), IssuanceRequests.forEvent(session, mint));
        if (outcome.denied()) {
            throw new ClientPolicyException(Denials.ERROR, outcome.description(), Response.Status.BAD_REQUEST);
        }
        return outcome;
    }

    private void refuseBeforeAuthentication(ClientPolicyContext context) throws ClientPolicyException {
        IssuanceRequests.Mint mint = FrontChannel.mint(session, context);
        if (mint == null || mint.client() == null) {
            return; // Keycloak refuses a request without an identified client itself
        }
        IssuanceDecisions.Outcome outcome = IssuanceDecisions.decideBeforeAuthentication(session, policy(),
                () -> IssuanceRequests.forEvent(session, mint), FrontChannel.knownFacts(context.getEvent()));
        if (outcome != null && outcome.denied()) {
            throw new ClientPolicyException(Denials.ERROR, outcome.description(), Response.Status.BAD_REQUEST);
        }
    }

    /** At a token-response event the builder can also drop the refresh token, which the post-processor cannot. */
    private void narrow(IssuanceDecisions.Outcome outcome, TokenManager.AccessTokenResponseBuilder builder) {
        Obligations obligations = outcome.decision().obligations();
        if (builder == null) {
            return;
        }
        // the post-processor may still narrow the access token's lifetime (carried narrowing on refresh)
        IdTokenLifetime.remember(session, builder.getIdToken());
        if (obligations.isEmpty()) {
            return;
        }
        String removed = Narrowing.apply(session, obligations, builder.getAccessToken(), builder.getRefreshToken(), null);
        IdTokenLifetime.follow(builder.getIdToken(), builder.getAccessToken());
        if (!obligations.refreshTokenAllowed() && builder.getRefreshToken() != null) {
            builder.removeRefreshToken();
            removed = removed.isEmpty() ? "refresh_token:-" : removed + ";refresh_token:-";
        }
        IssuanceDecisions.recordNarrowing(session, removed);
    }

    private PolicySource policy() {
        return () -> configuration == null ? PolicySet.EMPTY : configuration.compiled(session.getContext().getRealm());
    }

    /** The executor's compiled policy, or the compile error of a stored policy that no longer compiles. */
    @FunctionalInterface
    public interface PolicySource {
        PolicySet get() throws PolicyValidationException;
    }
}
