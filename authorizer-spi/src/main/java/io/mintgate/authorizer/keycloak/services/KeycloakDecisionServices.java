package io.mintgate.authorizer.keycloak.services;

import io.mintgate.authorizer.policy.DecisionServices;
import io.mintgate.authorizer.policy.authzen.AuthzenClient;
import io.mintgate.authorizer.policy.authzen.ExchangeContext;
import io.mintgate.authorizer.policy.budget.BudgetCounters;
import org.keycloak.models.KeycloakSession;

/**
 * The facilities rule checks may call, backed by this Keycloak node: one per request, created only when a policy
 * decides. Each facility is looked up lazily so a policy without checks pays nothing.
 */
public final class KeycloakDecisionServices implements DecisionServices {

    private final KeycloakSession session;
    private final boolean dryRun;
    private final boolean callPdps;

    private KeycloakDecisionServices(KeycloakSession session, boolean dryRun, boolean callPdps) {
        this.session = session;
        this.dryRun = dryRun;
        this.callPdps = callPdps;
    }

    public static DecisionServices forSession(KeycloakSession session) {
        return new KeycloakDecisionServices(session, false, true);
    }

    /**
     * For the simulator: budgets are read, never taken; PDPs are called only when {@code callPdps} (otherwise a rule
     * that needs one fails as if the PDP were unreachable, and its onError applies).
     */
    public static DecisionServices dryRun(KeycloakSession session, boolean callPdps) {
        return new KeycloakDecisionServices(session, true, callPdps);
    }

    @Override
    public <T> T facility(Class<T> type) {
        // Facilities register here, one line each.
        if (type == AuthzenClient.class) {
            return callPdps ? type.cast(KeycloakAuthzen.forSession(session)) : null;
        }
        if (type == ExchangeContext.class) {
            return type.cast(new KeycloakExchangeContext(session));
        }
        if (type == BudgetCounters.class) {
            return type.cast(dryRun ? WorkCacheBudgetCounters.peeking(session) : new WorkCacheBudgetCounters(session));
        }
        return null;
    }
}
