package io.mintgate.authorizer.keycloak.store;

import java.util.List;

import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyTests;
import io.mintgate.authorizer.policy.PolicyValidationException;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * A named CEL policy document stored once per realm, which {@code issuance-authorizer} executors reference by name
 * ({@code policy-name}). Keycloak re-reads and re-parses the realm's client-profile JSON on every client-policy event;
 * a policy embedded there is parsed again with every token request, a referenced one is not. Saved through
 * {@code /admin/realms/{realm}/components} or realm JSON ({@code components}); compiled when saved, so a bad policy is
 * refused with a 400 naming field, rule and position, on the components endpoint and on a realm import alike
 * ({@link PolicyRefusal}).
 */
public final class CelPolicyComponentFactory implements IssuancePolicyFactory {

    public static final String PROVIDER_ID = "cel";

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property()
            .name(StoredPolicies.POLICY)
            .label("mintgate.policy.label")
            .helpText("mintgate.policy.help")
            .type(ProviderConfigProperty.TEXT_TYPE)
            .add()
            .build();

    @Override
    public IssuancePolicy create(KeycloakSession session, ComponentModel model) {
        // Mintgate reads the stored document through the realm (StoredPolicies); nothing needs an instance, so
        // anyone who asks Keycloak for one gets an inert provider rather than an error.
        return () -> { };
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
        if (model.getName() == null || model.getName().isBlank()) {
            throw PolicyRefusal.of(session, "name: a stored policy needs a name");
        }
        boolean taken = realm.getComponentsStream(realm.getId(), IssuancePolicy.class.getName())
                .anyMatch(other -> model.getName().equals(other.getName()) && !other.getId().equals(model.getId()));
        if (taken) {
            throw PolicyRefusal.of(session, "name: realm " + realm.getName() + " already has a stored policy named '"
                    + model.getName() + "'");
        }
        String text = model.get(StoredPolicies.POLICY);
        if (text == null || text.isBlank()) {
            throw PolicyRefusal.of(session, "config.policy: missing");
        }
        try {
            PolicySet compiled = StoredPolicies.compile(text);
            PolicyTests.verify(text, compiled);
            PolicyVersions.record(session, realm, model, compiled.version());
        } catch (PolicyValidationException e) {
            throw PolicyRefusal.of(session, e.getMessage());
        }
    }

    @Override
    public String getHelpText() {
        return "Mintgate: a named issuance policy (CEL), referenced by issuance-authorizer executors.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
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
}
