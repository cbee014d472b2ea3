package io.mintgate.authorizer.keycloak;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransaction;

/**
 * The budget units the request on this thread has taken, so they can be given back when it ends without a token.
 * A refusal at the token endpoint does not roll back Keycloak's transaction (the error response is committed like
 * any other), but it always sends an error event, synchronously on this thread: {@link BudgetRefundListenerFactory}
 * gives the units back then. A request that fails with a server error rolls back, and the units come back here.
 */
final class TakenBudgetUnits {

    private static final ThreadLocal<List<Unit>> CURRENT = new ThreadLocal<>();

    private record Unit(String counter, Instant expiresAt) {
    }

    private TakenBudgetUnits() {
    }

    static void record(KeycloakSession session, String counter, Instant expiresAt) {
        List<Unit> units = CURRENT.get();
        if (units == null) {
            units = new ArrayList<>(2);
            CURRENT.set(units);
            session.getTransactionManager().enlistAfterCompletion(new GiveBackOnRollback(session));
        }
        units.add(new Unit(counter, expiresAt));
    }

    /** Gives back every unit this thread's request took; the request will not mint. */
    static void giveBack(KeycloakSession session) {
        List<Unit> units = CURRENT.get();
        if (units == null || units.isEmpty()) {
            return;
        }
        var cache = WorkCacheBudgetCounters.WorkCache.of(session);
        for (Unit unit : units) {
            WorkCacheBudgetCounters.giveBack(cache, unit.counter(), unit.expiresAt());
        }
        units.clear();
    }

    private static final class GiveBackOnRollback implements KeycloakTransaction {
        private final KeycloakSession session;

        GiveBackOnRollback(KeycloakSession session) {
            this.session = session;
        }

        @Override
        public void begin() {
        }

        @Override
        public void commit() {
            CURRENT.remove();
        }

        @Override
        public void rollback() {
            try {
                giveBack(session);
            } finally {
                CURRENT.remove();
            }
        }

        @Override
        public void setRollbackOnly() {
        }

        @Override
        public boolean getRollbackOnly() {
            return false;
        }

        @Override
        public boolean isActive() {
            return true;
        }
    }
}
