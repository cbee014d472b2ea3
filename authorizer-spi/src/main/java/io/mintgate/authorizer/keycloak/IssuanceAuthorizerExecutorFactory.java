package io.mintgate.authorizer.keycloak;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProviderFactory;

/** Client policy executor {@code issuance-authorizer}: evaluates a CEL policy at every token mint. */
public final class IssuanceAuthorizerExecutorFactory implements ClientPolicyExecutorProviderFactory {

    public static final String PROVIDER_ID = "issuance-authorizer";

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property()
            .name(IssuanceAuthorizerConfiguration.POLICY)
            .label("mintgate.policy.label")
            .helpText("mintgate.policy.help")
            .type(ProviderConfigProperty.TEXT_TYPE)
            .defaultValue("{\n  \"rules\": []\n}")
            .add()
            .build();

    @Override
    public ClientPolicyExecutorProvider<?> create(KeycloakSession session) {
        return new IssuanceAuthorizerExecutor(session);
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
        return "Mintgate: decides at mint time, from the live context of the request, whether a token may be issued"
                + " and how narrow it must be. The policy is a JSON document of CEL rules (see docs/policy-reference.md).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
