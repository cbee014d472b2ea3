package io.mintgate.authorizer.keycloak.handoff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import io.mintgate.authorizer.keycloak.DecisionDetailsListenerFactory;
import io.mintgate.authorizer.keycloak.context.NhiAttributes;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.NhiInfo;
import io.mintgate.authorizer.policy.ObligationsJson;
import io.mintgate.authorizer.policy.RequestCapture;
import org.jboss.logging.Logger;
import org.keycloak.events.Event;

/**
 * Carries the current request's decision details to the Keycloak event that reports it. Keycloak gives executors
 * no handle on the request's EventBuilder: the details wait in the {@link RequestLedger}, which the event store and
 * the listener find through the thread (error events are sent from a fresh session on the same thread).
 *
 * <p>What is recorded is kept as it came (the decision, the identity's facts, what narrowing removed) and turned
 * into detail entries only when an event takes them, straight into that event's map: building an intermediate map
 * per record and merging it cost more per token than the decision's own bookkeeping.
 *
 * <p>Two parties write the details into an event: the event store ({@link DecisionRecordingEventStore}, before
 * Keycloak stores it) and, for events the store does not keep, the {@link DecisionDetailsListenerFactory listener}.
 * Each event is written once: the pending records remember the event they last went into.
 */
public final class PendingDecision {

    /** Room for a decision, its identity facts and a removal, so the event's map never resizes while we fill it. */
    private static final int MINTGATE_ENTRIES = 14;

    /** The request's records in order ({@link Decision}s, {@link NhiInfo}s and {@link Narrowed} removals). */
    private final List<Object> parts = new ArrayList<>(4);
    /** The event the records were last written into, and how many records there were then. */
    private Event writtenTo;
    private int partsWritten;

    PendingDecision() {
    }

    /** Records a decision's details ({@link DecisionDetails#writeTo}), replacing those of an earlier decision. */
    public void record(Decision decision) {
        parts.add(decision);
    }

    /**
     * Records the request {@code decision} was taken on, for the audit record's replay: written (once, when an event
     * first takes it) after the decision, so the deferred facts its rules read are captured and no others fetched.
     */
    public void recordRequest(IssuanceRequest request, Decision decision) {
        parts.add(new Captured(request, decision));
    }

    /** Records the owner, purpose and expiry of the non-human identity the decision was about. */
    public void record(NhiInfo nhi) {
        parts.add(nhi);
    }

    /** Records what narrowing removed; several removals in one request are joined with {@code ;}. */
    public void recordNarrowed(String removed) {
        parts.add(new Narrowed(removed));
    }

    /** Writes the details of the request this thread serves into {@code event} (see {@link #writeInto(Event)}). */
    public static void writeIntoFromThisThread(Event event) {
        RequestLedger ledger = RequestLedger.onThisThread();
        if (ledger != null) {
            ledger.decision().writeInto(event);
        }
    }

    /**
     * Adds the details recorded so far to {@code event}, unless they already went into this very event (the event
     * store and the listener both see it). Keycloak's map is copied once into a map sized for both, rather than
     * grown entry by entry. Not cleared: several events of one request may report the same decision.
     */
    public void writeInto(Event event) {
        if (parts.isEmpty() || (writtenTo == event && partsWritten == parts.size())) {
            return;
        }
        Map<String, String> existing = event.getDetails();
        int entries = MINTGATE_ENTRIES + (existing == null ? 0 : existing.size());
        Map<String, String> details = new HashMap<>((int) (entries / 0.75f) + 1);
        if (existing != null) {
            details.putAll(existing);
        }
        writeTo(parts, details);
        event.setDetails(details);
        writtenTo = event;
        partsWritten = parts.size();
    }

    /**
     * Writes the records into {@code target} in the order recorded. Idempotent, so an event whose records grew
     * since it was last written can be written again: the removals are joined afresh, never appended to.
     */
    private static void writeTo(List<Object> parts, Map<String, String> target) {
        StringJoiner narrowed = null;
        for (Object part : parts) {
            if (part instanceof Decision decision) {
                DecisionDetails.writeTo(decision, target);
                // a decision without a captured request (front channel) must not keep an earlier one's
                target.remove(DecisionDetails.REQUEST);
                target.remove(DecisionDetails.OBLIGATIONS);
            } else if (part instanceof Captured captured) {
                captured.writeTo(target);
            } else if (part instanceof NhiInfo nhi) {
                writeNhi(nhi, target);
            } else if (part instanceof Narrowed removal) {
                if (narrowed == null) {
                    narrowed = new StringJoiner(";");
                }
                narrowed.add(removal.removed());
            }
        }
        if (narrowed != null) {
            target.put(DecisionDetails.NARROWED, narrowed.toString());
        }
    }

    /** The id of the last decision recorded, or null. */
    String decisionId() {
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

    private record Narrowed(String removed) {
    }

    /** A decision's request and obligations, encoded once however many events take them. */
    private static final class Captured {
        private final IssuanceRequest request;
        private final Decision decision;
        private String requestJson;
        private String obligationsJson;

        Captured(IssuanceRequest request, Decision decision) {
            this.request = request;
            this.decision = decision;
        }

        void writeTo(Map<String, String> target) {
            if (requestJson == null) {
                try {
                    requestJson = RequestCapture.encode(request);
                    obligationsJson = decision.allowed() && !decision.obligations().isEmpty()
                            ? ObligationsJson.write(decision.obligations(), decision.id()) : "";
                } catch (RuntimeException e) {
                    // The capture serves a later replay; the decision and its event must not depend on it.
                    Logger.getLogger(PendingDecision.class).warnf("decision %s: request not captured for replay: %s",
                            decision.id(), e.getClass().getSimpleName());
                    requestJson = "";
                    obligationsJson = "";
                }
            }
            if (requestJson.isEmpty()) {
                return;
            }
            target.put(DecisionDetails.REQUEST, requestJson);
            if (obligationsJson.isEmpty()) {
                target.remove(DecisionDetails.OBLIGATIONS);
            } else {
                target.put(DecisionDetails.OBLIGATIONS, obligationsJson);
            }
        }
    }
}
