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
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyValidationException;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
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
 * can decide without the subject ({@link FrontChannel}); the token-time decision is taken all the same. The switch
 * only routes each event to its place in {@link DecisionPlaces}.
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
    private final DecisionPlaces places;
    private IssuanceAuthorizerConfiguration configuration;

    public IssuanceAuthorizerExecutor(KeycloakSession session) {
        this.session = session;
        this.places = new DecisionPlaces(session);
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
        try {
            decide(context);
        } catch (IssuanceRequests.InvalidAuthorizationDetails e) {
            throw new ClientPolicyException(IssuanceRequests.InvalidAuthorizationDetails.ERROR, e.getMessage(),
                    Response.Status.BAD_REQUEST);
        }
    }

    private void decide(ClientPolicyContext context) throws ClientPolicyException {
        switch (context.getEvent()) {
            case TOKEN_EXCHANGE_REQUEST -> places.deferUntilSubjectVerified(context.getEvent().name(), policy());
            case JWT_AUTHORIZATION_GRANT -> places.atJwtAuthorizationGrant(policy(),
                    EventMints.atJwtAuthorizationGrant(session, (JWTAuthorizationGrantContext) context));
            case AUTHORIZATION_REQUEST, PUSHED_AUTHORIZATION_REQUEST, DEVICE_AUTHORIZATION_REQUEST,
                 BACKCHANNEL_AUTHENTICATION_REQUEST -> places.beforeAuthentication(policy(), context);
            default -> {
                EventMints.TokenResponse response = EventMints.atTokenResponse(context);
                if (response != null) {
                    places.atTokenResponse(policy(), response);
                }
            }
        }
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
