package io.mintgate.audit;

import com.nimbusds.jose.jwk.JWK;
import io.micrometer.core.instrument.MeterRegistry;
import io.mintgate.audit.chain.CheckpointKeys;
import io.mintgate.audit.chain.CheckpointSigner;
import io.mintgate.audit.metrics.AuditMetrics;
import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.ship.Shipper;
import io.mintgate.audit.ship.Sink;
import io.mintgate.audit.ship.SinkSettings;
import io.mintgate.audit.spool.Spool;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The assembled audit machinery: one spool, one shipper per sink, the metrics. Built once per Keycloak node (in the
 * listener factory's postInit) or directly by tests from an {@link AuditOptions}.
 */
public final class AuditPipeline implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AuditPipeline.class);

    private final AuditOptions options;
    private final AuditMetrics metrics;
    private final Spool spool;
    private final List<Shipper> shippers = new ArrayList<>();

    private AuditPipeline(AuditOptions options, AuditMetrics metrics, Spool spool) {
        this.options = options;
        this.metrics = metrics;
        this.spool = spool;
    }

    public static AuditPipeline start(AuditOptions options, MeterRegistry registry) throws IOException {
        Files.createDirectories(options.spoolDir());
        AuditMetrics metrics = new AuditMetrics(registry);
        CheckpointSigner signer = null;
        if (options.checkpointEveryRecords() > 0 || options.checkpointEveryMs() > 0) {
            JWK key = CheckpointKeys.loadOrGenerate(options.checkpointKey(), options.spoolDir());
            signer = new CheckpointSigner(key);
        }
        Spool spool = Spool.open(options.spoolOptions(), signer, metrics);
        metrics.spoolGauges(spool);
        AuditPipeline pipeline = new AuditPipeline(options, metrics, spool);
        try {
            for (SinkSettings settings : options.sinks()) {
                Sink sink = settings.open(spool.chainId());
                pipeline.shippers.add(new Shipper(spool, sink, metrics, options.batchRecords(), 4L << 20,
                        options.backoffBaseMs(), options.backoffCapMs()).start());
            }
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
        LOG.infof("Mintgate audit started: spool %s, chain %s, guarantee %s, full-policy %s, sinks %s",
                options.spoolDir(), spool.chainId(), options.guarantee(), options.fullPolicy(), options.sinkNames());
        return pipeline;
    }

    /** Appends with the configured guarantee: under before-response this returns only once the record is fsynced. */
    public void append(AuditRecord record) {
        spool.appendDurably(record);
    }

    /** The records of one request, with the configured guarantee: one fsync wait for all of them. */
    public void appendAll(List<AuditRecord> records) {
        spool.appendAllDurably(records);
    }

    /** Hand-off only; the future completes at fsync. */
    public CompletableFuture<Void> appendAsync(AuditRecord record) {
        return spool.append(record);
    }

    public Spool spool() {
        return spool;
    }

    public AuditOptions options() {
        return options;
    }

    public AuditMetrics metrics() {
        return metrics;
    }

    /** The state of every sink's shipper, in the order of the {@code sinks} option. */
    public List<Shipper.SinkState> sinkStates() {
        return shippers.stream().map(Shipper::state).toList();
    }

    /** Waits until everything appended so far is durable and every sink has shipped it. */
    public boolean awaitShipped(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        if (!spool.awaitSettled(timeoutMs)) {
            return false;
        }
        for (Shipper s : shippers) {
            if (!s.drain(Math.max(0, deadline - System.currentTimeMillis()))) {
                return false;
            }
        }
        return true;
    }

    /** Flushes the spool (final checkpoint and fsync), gives shippers a moment to catch up, then stops everything. */
    @Override
    public void close() {
        spool.close();
        try {
            awaitShipped(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shippers.forEach(Shipper::close);
        metrics.close();
    }

    /** Simulated crash for tests: threads stop, nothing is flushed. */
    void halt() {
        spool.halt();
        shippers.forEach(Shipper::close);
        metrics.close();
    }
}
