package io.mintgate.audit.ship;

import io.mintgate.audit.metrics.AuditMetrics;
import io.mintgate.audit.spool.Spool;
import io.mintgate.audit.spool.SpoolEntry;
import io.mintgate.audit.spool.SpoolReader;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Moves records from the spool to one sink: reads from the sink's persisted cursor, sends a batch, advances the
 * cursor only after the sink accepted it (at-least-once, in order), and backs off with full jitter on failure.
 * One thread per sink, so a slow collector never delays another sink and never a request thread.
 */
public final class Shipper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Shipper.class);
    private static final long UNREACHABLE_REPORT_MS = 30_000;
    /**
     * How long a caught-up shipper waits for a batch to fill: at most this much more delivery delay, in exchange for
     * one sink write, sink flush (fsync for the file sink) and cursor update per batch instead of per few records.
     */
    static final long LINGER_MS = 100;

    private final Spool spool;
    private final Sink sink;
    private final AuditMetrics metrics;
    private final int batchRecords;
    private final long batchBytes;
    private final Backoff backoff;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long oldestPendingAppendedAt = -1;
    private volatile long failingSince = -1;
    /** Wall-clock millis of the last acknowledged batch and of the last failed attempt (-1 = never), and its kind. */
    private volatile long lastSuccessAt = -1;
    private volatile long lastFailureAt = -1;
    private volatile String lastFailure = "";

    public Shipper(Spool spool, Sink sink, AuditMetrics metrics, int batchRecords, long batchBytes,
                   long backoffBaseMs, long backoffCapMs) {
        this.spool = spool;
        this.sink = sink;
        this.metrics = metrics;
        this.batchRecords = batchRecords;
        this.batchBytes = batchBytes;
        this.backoff = new Backoff(backoffBaseMs, backoffCapMs);
        metrics.sinkGauges(sink.name(), () -> spool.depth(sink.name()), this::oldestAgeSeconds);
        this.thread = new Thread(this::run, "mintgate-ship-" + sink.name());
        thread.setDaemon(true);
    }

    public Shipper start() {
        thread.start();
        return this;
    }

    private void run() {
        List<SpoolEntry> batch = List.of();
        long lastReportAt = 0;
        try (SpoolReader reader = spool.reader(sink.name())) {
            while (running) {
                try {
                    if (batch.isEmpty()) {
                        batch = reader.read(spool.cursor(sink.name()), batchRecords, batchBytes);
                        if (batch.isEmpty()) {
                            oldestPendingAppendedAt = -1;
                            long cursor = spool.cursor(sink.name());
                            if (spool.awaitDurableAfter(cursor, 500)) {
                                // Caught up and records are arriving: let the batch fill for a moment rather than
                                // paying a send, a sink flush and a cursor write for every few records.
                                spool.awaitDurableAfter(cursor + batchRecords - 1, LINGER_MS);
                            }
                            continue;
                        }
                        oldestPendingAppendedAt = batch.get(0).appendedAtMillis();
                    }
                    sink.send(batch);
                    long last = batch.get(batch.size() - 1).seq();
                    // Counted before the acknowledgement: once the spool shows the sink drained, the counter already
                    // includes the batch (drain() and the tests rely on that order; the sink has accepted it either way).
                    metrics.shipped(sink.name(), batch.size());
                    spool.acknowledge(sink.name(), last);
                    if (failingSince >= 0) {
                        LOG.infof("Mintgate audit sink %s is reachable again after %d s; shipping resumed",
                                sink.name(), (System.currentTimeMillis() - failingSince) / 1000);
                    }
                    failingSince = -1;
                    lastSuccessAt = System.currentTimeMillis();
                    backoff.reset();
                    batch = List.of();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    metrics.shipFailure(sink.name());
                    long now = System.currentTimeMillis();
                    lastFailureAt = now;
                    // The kind only: a message can hold a collector's answer, which is no business of a health probe.
                    lastFailure = e.getClass().getSimpleName();
                    if (failingSince < 0) {
                        failingSince = now;
                        LOG.warnf("Mintgate audit sink %s failed (%s); %d records waiting in %s will be retried",
                                sink.name(), describe(e), spool.depth(sink.name()), spool.dir());
                        lastReportAt = now;
                    } else if (now - lastReportAt >= UNREACHABLE_REPORT_MS) {
                        LOG.warnf("Mintgate audit sink %s unreachable for %d s (%s); %d records waiting in %s; "
                                        + "they will be retried", sink.name(), (now - failingSince) / 1000, describe(e),
                                spool.depth(sink.name()), spool.dir());
                        lastReportAt = now;
                    }
                    if (!sleep(backoff.nextDelayMs())) {
                        return;
                    }
                }
            }
        } catch (Exception e) {
            LOG.errorf(e, "Mintgate audit shipper for sink %s stopped unexpectedly", sink.name());
        }
    }

    private boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** What a health probe shows of this sink; reading it costs a few volatile reads. */
    public SinkState state() {
        return new SinkState(sink.name(), spool.depth(sink.name()), oldestAgeSeconds(), lastSuccessAt, lastFailureAt,
                lastFailure, failingSince);
    }

    /**
     * One sink's shipping state: records waiting, the age of the oldest, when a batch last went through and last
     * failed (wall-clock millis, -1 = never), the kind of that failure, and since when it fails (-1 = it does not).
     */
    public record SinkState(String sink, long backlog, double oldestAgeSeconds, long lastSuccessAt, long lastFailureAt,
                            String lastFailure, long failingSince) {
    }

    private double oldestAgeSeconds() {
        long at = oldestPendingAppendedAt;
        if (spool.depth(sink.name()) == 0 || at < 0) {
            return 0;
        }
        return (System.currentTimeMillis() - at) / 1000.0;
    }

    /** Waits until this sink has everything that is durable, or the timeout passes. */
    public boolean drain(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (spool.depth(sink.name()) > 0) {
            if (System.currentTimeMillis() >= deadline || !thread.isAlive()) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Stops the thread; unshipped records stay in the spool for the next start. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            sink.close();
        } catch (Exception e) {
            LOG.warnf(e, "Mintgate audit sink %s did not close cleanly", sink.name());
        }
    }
}
