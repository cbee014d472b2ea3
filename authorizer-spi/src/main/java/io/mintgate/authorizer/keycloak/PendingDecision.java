package io.mintgate.authorizer.keycloak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.NhiInfo;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransaction;

/**
 * Carries the current request's decision details to the Keycloak event that reports it. Keycloak gives executors
 * no handle on the request's EventBuilder, and error events are sent from a fresh session on the same thread, so
 * the hand-off is thread-confined and cleared when the request's transaction completes.
 *
 * <p>What is recorded is kept as it came (the decision, the identity's facts, what narrowing removed) and turned
 * into detail entries only when an event takes them, straight into that event's map: building an intermediate map
 * per record and merging it cost more per token than the decision's own bookkeeping.
 */
public final class PendingDecision {

    /** The request's records in order: {@link Decision}s, {@link NhiInfo}s and {@link Narrowed} removals. */
    private static final ThreadLocal<List<Object>> CURRENT = new ThreadLocal<>();

    private PendingDecision() {
    }

    /** Records a decision's details ({@link DecisionDetails#writeTo}), replacing those of an earlier decision. */
    static void record(KeycloakSession session, Decision decision) {
        parts(session).add(decision);
    }

    /** Records the owner, purpose and expiry of the non-human identity the decision was about. */
    static void record(KeycloakSession session, NhiInfo nhi) {
        parts(session).add(nhi);
    }

    /** Records what narrowing removed; several removals in one request are joined with {@code ;}. */
    static void recordNarrowed(KeycloakSession session, String removed) {
        parts(session).add(new Narrowed(removed));
    }

    private static List<Object> parts(KeycloakSession session) {
        List<Object> parts = CURRENT.get();
        if (parts == null) {
            parts = new ArrayList<>(4);
            CURRENT.set(parts);
            session.getTransactionManager().enlistAfterCompletion(new Clear());
        }
        return parts;
    }

    /** True when nothing was recorded on this thread (since the last clear). */
    public static boolean isEmpty() {
        List<Object> parts = CURRENT.get();
        return parts == null || parts.isEmpty();
    }

    /** Writes the details recorded so far into {@code target}, in the order recorded. Not cleared: several events may report them. */
    public static void writeTo(Map<String, String> target) {
        List<Object> parts = CURRENT.get();
        if (parts == null) {
            return;
        }
        for (Object part : parts) {
            if (part instanceof Decision decision) {
                DecisionDetails.writeTo(decision, target);
            } else if (part instanceof NhiInfo nhi) {
                writeNhi(nhi, target);
            } else if (part instanceof Narrowed narrowed) {
                target.merge(DecisionDetails.NARROWED, narrowed.removed(), (previous, next) -> previous + ";" + next);
            }
        }
    }

    /** The id of the last decision recorded on this thread, or null. */
    static String decisionId() {
        List<Object> parts = CURRENT.get();
        if (parts == null) {
            return null;
        }
        for (int i = parts.size() - 1; i >= 0; i--) {
            Object part = parts.get(i);
            if (part instanceof Decision decision) {
                return decision.id();
            }
        }
        return null;
    }

    private static void writeNhi(NhiInfo nhi, Map<String, String> target) {
        if (!nhi.owner().isEmpty()) {
            target.put(NhiAttributes.DETAIL_OWNER, nhi.owner());
        }
        if (!nhi.purpose().isEmpty()) {
            target.put(NhiAttributes.DETAIL_PURPOSE, nhi.purpose());
        }
        if (nhi.expiresAt() != null) {
            target.put(NhiAttributes.DETAIL_EXPIRES_AT, NhiAttributes.expiryText(nhi.expiresAt()));
        }
    }

    static void clear() {
        CURRENT.remove();
    }

    private record Narrowed(String removed) {
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
