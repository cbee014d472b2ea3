package io.mintgate.authorizer.keycloak;

import java.util.LinkedHashMap;
import java.util.Map;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransaction;

/**
 * Carries the current request's decision details to the Keycloak event that reports it. Keycloak gives executors
 * no handle on the request's EventBuilder, and error events are sent from a fresh session on the same thread, so
 * the hand-off is thread-confined and cleared when the request's transaction completes.
 */
public final class PendingDecision {

    private static final ThreadLocal<Map<String, String>> CURRENT = new ThreadLocal<>();

    private PendingDecision() {
    }

    /** Records (merges) details for the events this request will send. */
    public static void record(KeycloakSession session, Map<String, String> details) {
        Map<String, String> current = CURRENT.get();
        if (current == null) {
            current = new LinkedHashMap<>();
            CURRENT.set(current);
            session.getTransactionManager().enlistAfterCompletion(new Clear());
        }
        current.putAll(details);
    }

    /** The details recorded on this thread so far (empty if none); not cleared, several events may report them. */
    public static Map<String, String> current() {
        Map<String, String> current = CURRENT.get();
        return current == null ? Map.of() : current;
    }

    static void clear() {
        CURRENT.remove();
    }

    private static final class Clear implements KeycloakTransaction {
        @Override
        public void begin() {
        }

        @Override
        public void commit() {
            clear();
        }

        @Override
        public void rollback() {
            clear();
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
