package io.mintgate.authorizer.keycloak;

import java.util.List;

import io.mintgate.authorizer.keycloak.enforce.IssuanceAuthorizerConfiguration;
import io.mintgate.authorizer.keycloak.enforce.IssuanceAuthorizerExecutor;
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
            .property()
            .name(IssuanceAuthorizerConfiguration.POLICY_NAME)
            .label("mintgate.policy-name.label")
            .helpText("mintgate.policy-name.help")
            .type(ProviderConfigProperty.STRING_TYPE)
            .add()
            .build();

    @Override
    public ClientPolicyExecutorProvider<?> create(KeycloakSession session) {
        return new IssuanceAuthorizerExecutor(session);
    }

    @Override
    public void init(Config.Scope config) {
        String capture = config.get("capture-request");
        if (capture != null && !capture.isBlank()) {
            String value = capture.trim();
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("--spi-client-policy-executor--" + PROVIDER_ID
                        + "--capture-request must be true or false, was '" + capture + "'");
            }
            io.mintgate.authorizer.keycloak.enforce.IssuanceDecisions.captureRequests(Boolean.parseBoolean(value));
        }
        String warning = config.get("expiry-warning");
        if (warning != null && !warning.isBlank()) {
            try {
                io.mintgate.authorizer.keycloak.lifecycle.NhiExpiryMetrics.configure(java.time.Duration.parse(warning.trim()));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("--spi-client-policy-executor--" + PROVIDER_ID
                        + "--expiry-warning must be an ISO-8601 duration such as P14D, was '" + warning + "'", e);
            }
        }
        io.mintgate.authorizer.keycloak.enforce.DecisionMetrics.configure(perRule(config.get("metrics-per-rule")));
    }

    /** The server option {@code metrics-per-rule}: {@code true} or {@code false} (default), anything else stops the start. */
    static boolean perRule(String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.trim().equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException("--spi-client-policy-executor--" + PROVIDER_ID
                + "--metrics-per-rule must be true or false, was '" + value + "'");
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

    /** Server options ({@code --spi-client-policy-executor--issuance-authorizer--<name>}), not per-realm configuration. */
    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("expiry-warning").type(ProviderConfigProperty.STRING_TYPE).defaultValue("P14D")
                .helpText("ISO-8601 duration: NHIs whose mintgate.expires-at is closer than this get the metrics"
                        + " mintgate_nhi_expiry_seconds and mintgate_nhi_expiring_mints_total when they ask for a token.")
                .add()
                .property().name("metrics-per-rule").type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
                .helpText("true: also count denials and rule errors per rule (mintgate_rule_denials_total,"
                        + " mintgate_rule_errors_by_rule_total, labelled with the rule name and reason code).")
                .add().build();
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
