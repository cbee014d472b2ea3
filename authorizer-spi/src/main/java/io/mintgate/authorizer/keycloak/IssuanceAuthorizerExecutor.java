package io.mintgate.authorizer.keycloak;

import io.mintgate.authorizer.policy.ActorInfo;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyValidationException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.ciba.clientpolicy.context.BackchannelTokenResponseContext;
import org.keycloak.protocol.oidc.grants.device.clientpolicy.context.DeviceTokenResponseContext;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.ImplicitHybridTokenResponse;
import org.keycloak.services.clientpolicy.context.ResourceOwnerPasswordCredentialsResponseContext;
import org.keycloak.services.clientpolicy.context.ServiceAccountTokenResponseContext;
import org.keycloak.services.clientpolicy.context.TokenRefreshResponseContext;
import org.keycloak.services.clientpolicy.context.TokenResponseContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

/**
 * Decides at the token-response event of each grant path: by then Keycloak has authenticated the client, verified
 * the code / refresh token / device code / auth_req_id, resolved the user and built (not yet signed) the tokens, so
 * the policy sees verified facts and what is about to be minted. Paths without a response event (token exchange,
 * JWT grant) are handed to the token post-processor, which runs once Keycloak has verified the subject token.
 */
public final class IssuanceAuthorizerExecutor implements ClientPolicyExecutorProvider<IssuanceAuthorizerConfiguration> {

    private final KeycloakSession session;
    private IssuanceAuthorizerConfiguration configuration;

    IssuanceAuthorizerExecutor(KeycloakSession session) {
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
        switch (context.getEvent()) {
            case SERVICE_ACCOUNT_TOKEN_RESPONSE -> {
                ServiceAccountTokenResponseContext c = (ServiceAccountTokenResponseContext) context;
                decide("SERVICE_ACCOUNT_TOKEN_RESPONSE", OAuth2Constants.CLIENT_CREDENTIALS, c.getClientSession(),
                        c.getAccessTokenResponseBuilder(), c.getParams());
            }
            case TOKEN_RESPONSE -> {
                TokenResponseContext c = (TokenResponseContext) context;
                decide("TOKEN_RESPONSE", OAuth2Constants.AUTHORIZATION_CODE, c.getClientSession(),
                        c.getAccessTokenResponseBuilder(), c.getParams());
            }
            case TOKEN_REFRESH_RESPONSE -> {
                TokenRefreshResponseContext c = (TokenRefreshResponseContext) context;
                decide("TOKEN_REFRESH_RESPONSE", OAuth2Constants.REFRESH_TOKEN, c.getClientSession(),
                        c.getAccessTokenResponseBuilder(), c.getParams());
            }
            case RESOURCE_OWNER_PASSWORD_CREDENTIALS_RESPONSE -> {
                ResourceOwnerPasswordCredentialsResponseContext c = (ResourceOwnerPasswordCredentialsResponseContext) context;
                decide("RESOURCE_OWNER_PASSWORD_CREDENTIALS_RESPONSE", OAuth2Constants.PASSWORD,
                        c.getClientSessionContext().getClientSession(), c.getAccessTokenResponseBuilder(), c.getParams());
            }
            case DEVICE_TOKEN_RESPONSE -> {
                DeviceTokenResponseContext c = (DeviceTokenResponseContext) context;
                decide("DEVICE_TOKEN_RESPONSE", OAuth2Constants.DEVICE_CODE_GRANT_TYPE, c.getClientSession(),
                        c.getAccessTokenResponseBuilder(), c.getRequestParameters());
            }
            case BACKCHANNEL_TOKEN_RESPONSE -> {
                BackchannelTokenResponseContext c = (BackchannelTokenResponseContext) context;
                decide("BACKCHANNEL_TOKEN_RESPONSE", OAuth2Constants.CIBA_GRANT_TYPE,
                        c.getClientSessionContext().getClientSession(), c.getAccessTokenResponseBuilder(),
                        c.getRequestParameters());
            }
            case IMPLICIT_HYBRID_TOKEN_RESPONSE -> {
                ImplicitHybridTokenResponse c = (ImplicitHybridTokenResponse) context;
                decide("IMPLICIT_HYBRID_TOKEN_RESPONSE", "implicit", c.getClientSessionContext().getClientSession(),
                        c.getAccessTokenResponseBuilder(), null);
            }
            case TOKEN_EXCHANGE_REQUEST, JWT_AUTHORIZATION_GRANT ->
                // The subject token / assertion user is verified only later: decide in the post-processor.
                    DeferredPolicies.add(session, context.getEvent().name(), policy());
            default -> {
                // Front-channel events (authorization, PAR, device and CIBA authentication requests) mint nothing:
                // the decision is taken when their token is issued, with the authenticated subject known.
            }
        }
    }

    private void decide(String event, String grantType, AuthenticatedClientSessionModel clientSession,
                        TokenManager.AccessTokenResponseBuilder builder, MultivaluedMap<String, String> params)
            throws ClientPolicyException {
        IssuanceRequests.Mint mint = new IssuanceRequests.Mint(event, grantType, clientSession.getClient(),
                clientSession.getUserSession().getUser(), builder.getAccessToken(), params, ActorInfo.NONE);
        Enforcement.Outcome outcome = Enforcement.decide(session, policy(), IssuanceRequests.build(session, mint));
        if (outcome.denied()) {
            throw new ClientPolicyException(Denials.ERROR, outcome.description(), Response.Status.BAD_REQUEST);
        }
    }

    private PolicySource policy() {
        return () -> configuration == null ? PolicySet.EMPTY : configuration.compiled();
    }

    /** The executor's compiled policy, or the compile error of a stored policy that no longer compiles. */
    @FunctionalInterface
    interface PolicySource {
        PolicySet get() throws PolicyValidationException;
    }
}
