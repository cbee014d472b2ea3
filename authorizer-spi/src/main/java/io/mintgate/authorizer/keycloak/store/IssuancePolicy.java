package io.mintgate.authorizer.keycloak.store;

import org.keycloak.provider.Provider;

/**
 * The component type of a named issuance policy stored in a realm. Its class name is the components'
 * {@code providerType} in the admin REST API and in realm JSON; the components carry the policy document in their
 * configuration and are read through the realm (cached), so nothing is ever instantiated from this interface.
 */
public interface IssuancePolicy extends Provider {
}
