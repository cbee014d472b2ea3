package io.mintgate.authorizer.keycloak.services;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.mintgate.authorizer.keycloak.BudgetRefundListenerFactory;
import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import org.keycloak.models.KeycloakSession;

/**
 * The budget units one request has taken, so they can be given back when it ends without a token. Kept in the
 * {@link RequestLedger}. A refusal at the token endpoint does not roll back Keycloak's transaction (the error
 * response is committed like any other), but it always sends an error event, synchronously on the request's thread:
 * {@link BudgetRefundListenerFactory} gives the units back then. A request that fails with a server error rolls
 * back, and the ledger gives the units back when it is cleared.
 */
public final class TakenBudgetUnits {

    private final List<Unit> units = new ArrayList<>(2);

    private record Unit(String counter, Instant expiresAt) {
    }

    public TakenBudgetUnits() {
    }

    void record(String counter, Instant expiresAt) {
        units.add(new Unit(counter, expiresAt));
    }

    /** Gives back every unit the request took, through {@code session}'s work cache; the request will not mint. */
    public void giveBack(KeycloakSession session) {
        if (units.isEmpty()) {
            return;
        }
        var cache = WorkCacheBudgetCounters.WorkCache.of(session);
        for (Unit unit : units) {
            WorkCacheBudgetCounters.giveBack(cache, unit.counter(), unit.expiresAt());
        }
        units.clear();
    }

    /** Gives back the units of the request this thread serves (the error event's session is not the request's). */
    public static void giveBackOnThisThread(KeycloakSession session) {
        RequestLedger ledger = RequestLedger.onThisThread();
        if (ledger != null) {
            ledger.budgetUnits().giveBack(session);
        }
    }
}
