package io.mintgate.authorizer.keycloak;

import java.util.List;

import io.mintgate.authorizer.keycloak.context.IssuanceContextCondition;
import io.mintgate.authorizer.keycloak.context.IssuanceContextConfiguration;
import io.mintgate.authorizer.keycloak.policies.CompileOnce;
import io.mintgate.authorizer.policy.PolicyValidationException;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.representations.idm.ClientPolicyConditionRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.condition.ClientPolicyConditionProvider;
import org.keycloak.services.clientpolicy.condition.ClientPolicyConditionProviderFactory;
import org.keycloak.util.JsonSerialization;

/**
 * Client policy condition {@code issuance-context}: a CEL expression over the issuance context that votes YES or NO
 * on every event, where Keycloak's client-based conditions abstain on several (password, device, CIBA responses).
 */
public final class IssuanceContextConditionFactory implements ClientPolicyConditionProviderFactory {

    public static final String PROVIDER_ID = "issuance-context";

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property()
            .name(IssuanceContextConfiguration.EXPRESSION)
            .label("mintgate.condition.expression.label")
            .helpText("mintgate.condition.expression.help")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("true")
            .add()
            .property()
            .name("is-negative-logic")
            .label("Negative Logic")
            .helpText("If on, the condition votes YES when the expression is false.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue(false)
            .add()
            .build();

    @Override
    public ClientPolicyConditionProvider<?> create(KeycloakSession session) {
        return new IssuanceContextCondition(session);
    }

    /** Rejects a bad expression when the policy is saved, naming the position. */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm,
                                      ClientPolicyConditionRepresentation representation) throws ClientPolicyException {
        IssuanceContextConfiguration configuration = JsonSerialization.mapper.convertValue(
                representation.getConfiguration(), IssuanceContextConfiguration.class);
        try {
            CompileOnce.condition(configuration.getExpression());
        } catch (PolicyValidationException e) {
            throw new ClientPolicyException(e.getMessage());
        }
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
        return "Mintgate: applies the policy when a CEL expression over the issuance context is true.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
