package io.mintgate.audit.spool;

import io.mintgate.audit.record.AuditRecord;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One appended record on its way to disk, and who waits for it. The writer settles it exactly once, after the fsync
 * of its batch or when the batch failed. A request thread under before-response parks on its own thread and is
 * unparked by the writer: no future, no monitor and no lock per record, and nothing spins.
 */
final class Pending {
    private static final Object DURABLE = new Object();

    final AuditRecord record;
    final long appendedAt;
    /** The first (or only) record of one request's hand-off: the writer counts requests by it. */
    final boolean opensRequest;
    private final Thread waiter;
    private final CompletableFuture<Void> future;
    /** null while pending, then {@link #DURABLE} or the failure. */
    private volatile Object outcome;

    private Pending(AuditRecord record, boolean opensRequest, Thread waiter, CompletableFuture<Void> future) {
        this.record = record;
        this.opensRequest = opensRequest;
        this.appendedAt = System.currentTimeMillis();
        this.waiter = waiter;
        this.future = future;
    }

    /** Settled without anyone told: async hand-off. */
    static Pending unwatched(AuditRecord record) {
        return new Pending(record, true, null, null);
    }

    /** The calling thread will {@link #await} it; {@code opensRequest} for the first of the request's records. */
    static Pending awaitedByCaller(AuditRecord record, boolean opensRequest) {
        return new Pending(record, opensRequest, Thread.currentThread(), null);
    }

    /** Settles a future as well (tests, tools). */
    static Pending withFuture(AuditRecord record) {
        return new Pending(record, true, null, new CompletableFuture<>());
    }

    CompletableFuture<Void> future() {
        return future;
    }

    /** Writer thread: the record is on disk. */
    void durable() {
        settle(DURABLE);
        if (future != null) {
            future.complete(null);
        }
    }

    /** Writer thread: the record will never be on disk. */
    void failed(AuditUnavailableException failure) {
        settle(failure);
        if (future != null) {
            future.completeExceptionally(failure);
        }
    }

    private void settle(Object result) {
        outcome = result;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /** Parks the waiting thread until the record is durable; throws if it failed or the time ran out. */
    void await(long timeoutMs) {
        Object result = outcome;
        if (result == null) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while ((result = outcome) == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AuditUnavailableException("audit record not on disk within " + timeoutMs + " ms");
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new AuditUnavailableException("interrupted while waiting for the audit fsync");
                }
            }
        }
        if (result != DURABLE) {
            AuditUnavailableException failure = (AuditUnavailableException) result;
            throw new AuditUnavailableException("audit record could not be written: " + failure.getMessage(), failure);
        }
    }
}
