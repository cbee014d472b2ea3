package io.mintgate.it.harness;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One two-node {@link KeycloakCluster} (on its own PostgreSQL) for every test class that asks for a
 * {@code KeycloakCluster} parameter: started by the first, kept in JUnit's root store and closed when the run ends,
 * so classes that only need a cluster (each with its own realm) pay for one start. A class that stops or restarts
 * nodes starts its own with {@link KeycloakCluster#start(int, String)} instead.
 */
public final class SharedKeycloakCluster implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedKeycloakCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KeycloakCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(KeycloakCluster.class,
                k -> KeycloakCluster.start(2, "shared-cluster"), KeycloakCluster.class);
    }
}
