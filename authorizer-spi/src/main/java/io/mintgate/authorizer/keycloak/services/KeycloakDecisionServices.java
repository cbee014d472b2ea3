package io.mintgate.authorizer.keycloak.services;

import io.mintgate.authorizer.policy.DecisionServices;
import io.mintgate.authorizer.policy.authzen.AuthzenClient;
import io.mintgate.authorizer.policy.budget.BudgetCounters;
import org.keycloak.models.KeycloakSession;

/**
 * The facilities rule checks may call, backed by this Keycloak node: one per request, created only when a policy
 * decides. Each facility is looked up lazily so a policy without checks pays nothing.
 */
public final class KeycloakDecisionServices implements DecisionServices {

    private final KeycloakSession session;

    private KeycloakDecisionServices(KeycloakSession session) {
        this.session = session;
    }

    public static DecisionServices forSession(KeycloakSession session) {
        return new KeycloakDecisionServices(session);
    }

    @Override
    public <T> T facility(Class<T> type) {
        // Facilities register here, one line each.
        if (type == AuthzenClient.class) {
            return type.cast(KeycloakAuthzen.forSession(session));
        }
        if (type == BudgetCounters.class) {
            return type.cast(new WorkCacheBudgetCounters(session));
        }
        return null;
    }
}
