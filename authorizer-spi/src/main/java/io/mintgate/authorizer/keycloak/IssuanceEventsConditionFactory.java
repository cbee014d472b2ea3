package io.mintgate.authorizer.keycloak;

import java.util.List;

import io.mintgate.authorizer.keycloak.context.IssuanceEventsCondition;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientpolicy.condition.ClientPolicyConditionProvider;
import org.keycloak.services.clientpolicy.condition.ClientPolicyConditionProviderFactory;

/**
 * Client policy condition {@code issuance-events}: the policy applies to every client, on the events where Mintgate's
 * issuance-authorizer decides. Use it instead of {@code any-client} for a policy whose profiles hold issuance-authorizer
 * executors only (docs/policy-reference.md).
 */
public final class IssuanceEventsConditionFactory implements ClientPolicyConditionProviderFactory {

    public static final String PROVIDER_ID = "issuance-events";

    @Override
    public ClientPolicyConditionProvider<?> create(KeycloakSession session) {
        return new IssuanceEventsCondition(session);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Mintgate: applies the policy to every client, only on the events where the issuance-authorizer decides "
                + "(token responses, token exchange, JWT grant, authorization/PAR/device/CIBA requests). Holds on every "
                + "event if a profile of the policy has any other executor.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }
}
