package io.mintgate.authorizer.keycloak.store;

import org.keycloak.component.ComponentFactory;

/** Factories of stored issuance policies (one today: {@link CelPolicyComponentFactory}). */
public interface IssuancePolicyFactory extends ComponentFactory<IssuancePolicy, IssuancePolicy> {
}
