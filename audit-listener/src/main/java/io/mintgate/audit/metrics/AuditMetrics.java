package io.mintgate.audit.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The audit meters. Keycloak publishes {@code Metrics.globalRegistry} on its management port; tests pass their own
 * registry. Meters are removed on close so a restarted pipeline in the same JVM does not report stale gauges.
 */
public final class AuditMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final Counter appended;
    private final List<Meter> meters = new ArrayList<>();

    public AuditMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.appended = keep(Counter.builder("mintgate_audit_appended_total")
                .description("Audit records durably appended to the local spool").register(registry));
        // Registered up front so dashboards and alerts see a 0 series instead of nothing.
        dropped(0, "spool_full");
        dropped(0, "write_error");
    }

    public void appended(long n) {
        appended.increment(n);
    }

    /** @param reason spool_full (drop-oldest policy) or write_error (the disk refused a write) */
    public void dropped(long n, String reason) {
        keep(Counter.builder("mintgate_audit_dropped_total").tag("reason", reason)
                .description("Audit records lost on purpose (drop-oldest) or by a write error").register(registry))
                .increment(n);
    }

    public void shipped(String sink, long n) {
        keep(Counter.builder("mintgate_audit_shipped_total").tag("sink", sink)
                .description("Audit records acknowledged by a sink").register(registry)).increment(n);
    }

    public void shipFailure(String sink) {
        keep(Counter.builder("mintgate_audit_ship_failures_total").tag("sink", sink)
                .description("Failed attempts to ship a batch to a sink").register(registry)).increment();
    }

    public void sinkGauges(String sink, Supplier<Number> depth, Supplier<Number> oldestAgeSeconds) {
        shipped(sink, 0);
        keep(Counter.builder("mintgate_audit_ship_failures_total").tag("sink", sink)
                .description("Failed attempts to ship a batch to a sink").register(registry));
        keep(Gauge.builder("mintgate_audit_spool_depth", depth)
                .tag("sink", sink).description("Records in the spool not yet shipped to this sink").register(registry));
        keep(Gauge.builder("mintgate_audit_spool_oldest_age_seconds", oldestAgeSeconds)
                .tag("sink", sink).description("Age of the oldest record not yet shipped to this sink")
                .register(registry));
    }

    /**
     * The spool's fill level against its limits (what {@code full-policy} acts on), its write health and its fsyncs:
     * read when scraped, nothing on the append path.
     */
    public void spoolGauges(io.mintgate.audit.spool.Spool spool) {
        keep(Gauge.builder("mintgate_audit_spool_bytes", spool, io.mintgate.audit.spool.Spool::unshippedBytes)
                .description("Bytes of spool files holding records not yet shipped to every sink").register(registry));
        keep(Gauge.builder("mintgate_audit_spool_limit_bytes", spool, s -> s.options().maxBytes())
                .description("The spool's max-bytes limit").register(registry));
        keep(Gauge.builder("mintgate_audit_spool_records", spool, io.mintgate.audit.spool.Spool::unshippedRecords)
                .description("Records not yet shipped to every sink").register(registry));
        keep(Gauge.builder("mintgate_audit_spool_limit_records", spool, s -> s.options().maxRecords())
                .description("The spool's max-records limit").register(registry));
        keep(Gauge.builder("mintgate_audit_spool_writable", spool, s -> s.writable() ? 1 : 0)
                .description("1 while the spool can write and fsync; 0 from a failed write until the next fsync succeeds")
                .register(registry));
        keep(io.micrometer.core.instrument.FunctionCounter.builder("mintgate_audit_fsyncs_total", spool,
                        io.mintgate.audit.spool.Spool::forceCount)
                .description("fsyncs of the spool's records (group commit: one per batch of records)").register(registry));
    }

    public MeterRegistry registry() {
        return registry;
    }

    private synchronized <M extends Meter> M keep(M meter) {
        if (!meters.contains(meter)) {
            meters.add(meter);
        }
        return meter;
    }

    @Override
    public synchronized void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
