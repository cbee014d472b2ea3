package io.mintgate.audit.health;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.ship.Shipper;
import io.mintgate.audit.spool.FullPolicy;
import io.mintgate.audit.spool.Spool;

/**
 * The audit pipeline's readiness, as the {@code mintgate-audit} check on Keycloak's {@code /health/ready} shows it.
 * DOWN only when this node cannot audit a token and therefore refuses it: the spool cannot write (a failed write or
 * fsync, until one succeeds), or it is full under {@code full-policy=fail-closed}, or the pipeline is not running. A
 * failing sink alone keeps it UP: records wait in the spool and nothing is lost until it fills; the data says which
 * sink fails since when, for the alert rules and for a human reading the probe.
 */
public final class AuditHealth {

    /** The node's pipeline, set by the listener factory when it starts one; null before and after. */
    private static volatile AuditPipeline watched;

    private AuditHealth() {
    }

    public static void watch(AuditPipeline pipeline) {
        watched = pipeline;
    }

    public static void unwatch(AuditPipeline pipeline) {
        if (watched == pipeline) {
            watched = null;
        }
    }

    /** The report on the node's pipeline now. */
    public static Report current() {
        return of(watched, System.currentTimeMillis());
    }

    /** Up or down, and what a probe shows; every value is a String, a Long or a Boolean (MicroProfile Health data). */
    public record Report(boolean up, Map<String, Object> data) {
    }

    static Report of(AuditPipeline pipeline, long nowMillis) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (pipeline == null) {
            data.put("problem", "the audit pipeline is not running");
            return new Report(false, data);
        }
        Spool spool = pipeline.spool();
        long bytes = spool.unshippedBytes();
        long records = spool.unshippedRecords();
        long maxBytes = spool.options().maxBytes();
        long maxRecords = spool.options().maxRecords();
        boolean writable = spool.writable();
        boolean full = spool.isFull();
        FullPolicy policy = spool.options().fullPolicy();
        data.put("spool-dir", spool.dir().toString());
        data.put("spool-writable", writable);
        data.put("spool-bytes", bytes);
        data.put("spool-limit-bytes", maxBytes);
        data.put("spool-records", records);
        data.put("spool-limit-records", maxRecords);
        data.put("spool-fill-percent", fillPercent(bytes, maxBytes, records, maxRecords));
        data.put("full-policy", policy.name().toLowerCase().replace('_', '-'));
        if (spool.lastWriteFailureAt() >= 0) {
            data.put("spool-last-write-failure", Instant.ofEpochMilli(spool.lastWriteFailureAt()).toString());
        }
        for (Shipper.SinkState sink : pipeline.sinkStates()) {
            String prefix = "sink." + sink.sink() + ".";
            data.put(prefix + "backlog", sink.backlog());
            data.put(prefix + "oldest-age-seconds", (long) sink.oldestAgeSeconds());
            data.put(prefix + "last-success", time(sink.lastSuccessAt()));
            data.put(prefix + "last-failure", time(sink.lastFailureAt()));
            if (sink.failingSince() >= 0) {
                data.put(prefix + "failing-seconds", Math.max(0, (nowMillis - sink.failingSince()) / 1000));
                data.put(prefix + "last-error", sink.lastFailure());
            }
        }
        boolean refusing = full && policy == FullPolicy.FAIL_CLOSED;
        if (!writable) {
            data.put("problem", "the spool cannot write or fsync; token requests waiting for their record fail");
        } else if (refusing) {
            data.put("problem", "the spool is full under full-policy=fail-closed; token requests are refused");
        }
        return new Report(writable && !refusing, data);
    }

    /** The fuller of the two limits, in whole percent (the limit that is reached first is the one that acts). */
    static long fillPercent(long bytes, long maxBytes, long records, long maxRecords) {
        double byBytes = maxBytes > 0 ? (double) bytes / maxBytes : 0;
        double byRecords = maxRecords > 0 ? (double) records / maxRecords : 0;
        return (long) Math.floor(100 * Math.max(byBytes, byRecords));
    }

    private static String time(long millis) {
        return millis < 0 ? "never" : Instant.ofEpochMilli(millis).toString();
    }
}
