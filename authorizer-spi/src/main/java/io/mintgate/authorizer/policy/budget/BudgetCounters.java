package io.mintgate.authorizer.policy.budget;

import java.time.Instant;

/**
 * The shared counters behind issuance budgets, supplied by the host through
 * {@link io.mintgate.authorizer.policy.DecisionServices} (in Keycloak: the cluster-replicated {@code work} cache).
 * Implementations are atomic across every node that shares them, and keep each realm's counters apart by what
 * identifies the realm itself, never its name: a realm deleted and re-created under the same name starts afresh.
 */
public interface BudgetCounters {

    /**
     * Takes one unit from {@code counter} if fewer than {@code limit} were taken, atomically.
     *
     * @param counter  identifies the rule, key and window within the realm; a new counter starts at zero
     * @param expiresAt when the counter may be forgotten (the end of its window)
     * @return true when the unit was taken, false when the budget is exhausted
     * @throws io.mintgate.authorizer.policy.PolicyEvaluationException when the counters cannot be reached or updated
     */
    boolean tryTake(String counter, long limit, Instant expiresAt);
}
