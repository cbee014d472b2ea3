package io.mintgate.authorizer.keycloak.lifecycle;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProviderFactory;

/** Client policy executor {@code nhi-issuance-controls}: what a new or changed non-human identity must carry. */
public final class IssuanceControlsExecutorFactory implements ClientPolicyExecutorProviderFactory {

    public static final String PROVIDER_ID = "nhi-issuance-controls";

    private static final List<String> MODES = List.of("allow", "refuse", "strip");

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property().name(IssuanceControlsConfiguration.REQUIRE_OWNER)
            .label("mintgate.controls.require-owner.label").helpText("mintgate.controls.require-owner.help")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(true).add()
            .property().name(IssuanceControlsConfiguration.REQUIRE_PURPOSE)
            .label("mintgate.controls.require-purpose.label").helpText("mintgate.controls.require-purpose.help")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(true).add()
            .property().name(IssuanceControlsConfiguration.REQUIRE_EXPIRY)
            .label("mintgate.controls.require-expiry.label").helpText("mintgate.controls.require-expiry.help")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false).add()
            .property().name(IssuanceControlsConfiguration.MAX_LIFETIME)
            .label("mintgate.controls.max-lifetime.label").helpText("mintgate.controls.max-lifetime.help")
            .type(ProviderConfigProperty.STRING_TYPE).add()
            .property().name(IssuanceControlsConfiguration.IMPLICIT_FLOW)
            .label("mintgate.controls.implicit-flow.label").helpText("mintgate.controls.implicit-flow.help")
            .type(ProviderConfigProperty.LIST_TYPE).options(MODES).defaultValue("refuse").add()
            .property().name(IssuanceControlsConfiguration.DIRECT_ACCESS_GRANTS)
            .label("mintgate.controls.direct-access-grants.label").helpText("mintgate.controls.direct-access-grants.help")
            .type(ProviderConfigProperty.LIST_TYPE).options(MODES).defaultValue("refuse").add()
            .property().name(IssuanceControlsConfiguration.FULL_SCOPE_ALLOWED)
            .label("mintgate.controls.full-scope-allowed.label").helpText("mintgate.controls.full-scope-allowed.help")
            .type(ProviderConfigProperty.LIST_TYPE).options(MODES).defaultValue("allow").add()
            .property().name(IssuanceControlsConfiguration.SERVICE_ACCOUNT_STANDARD_FLOW)
            .label("mintgate.controls.service-account-standard-flow.label")
            .helpText("mintgate.controls.service-account-standard-flow.help")
            .type(ProviderConfigProperty.LIST_TYPE).options(MODES).defaultValue("allow").add()
            .property().name(IssuanceControlsConfiguration.SERVICE_ACCOUNT_ROLES)
            .label("mintgate.controls.service-account-roles.label").helpText("mintgate.controls.service-account-roles.help")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
            .property().name(IssuanceControlsConfiguration.CREATOR_DEFAULTS)
            .label("mintgate.controls.creator-defaults.label").helpText("mintgate.controls.creator-defaults.help")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(true).add()
            .build();

    @Override
    public ClientPolicyExecutorProvider<?> create(KeycloakSession session) {
        return new IssuanceControlsExecutor(session);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // Server-wide, not per profile: an owner is a user id in every realm, controlled or not.
        factory.register(OwnerBinding::onEvent);
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
        return "Mintgate: what a new or changed client (admin API or dynamic registration) must carry: an active owner,"
                + " a purpose, an expiry within a maximum lifetime; which grants are refused or stripped; which roles a"
                + " service account may hold (see docs/nhi-lifecycle.md).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
