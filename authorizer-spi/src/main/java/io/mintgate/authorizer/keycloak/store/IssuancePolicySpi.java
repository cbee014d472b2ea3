package io.mintgate.authorizer.keycloak.store;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** Registers the {@link IssuancePolicy} component type with Keycloak. */
public final class IssuancePolicySpi implements Spi {

    public static final String NAME = "mintgate-issuance-policy";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return IssuancePolicy.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return IssuancePolicyFactory.class;
    }
}
