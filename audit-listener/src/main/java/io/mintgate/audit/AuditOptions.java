package io.mintgate.audit;

import io.mintgate.audit.format.RecordFormat;
import io.mintgate.audit.record.AuditKind;
import io.mintgate.audit.ship.FileSink;
import io.mintgate.audit.ship.SinkSettings;
import io.mintgate.audit.spool.FullPolicy;
import io.mintgate.audit.spool.Guarantee;
import io.mintgate.audit.spool.SpoolOptions;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Everything the audit pipeline needs, independent of Keycloak so tests and the integration harness can build it
 * directly ({@link #builder(Path)}). {@code AuditOptionsReader} fills it from the server options.
 *
 * @param sinks the enabled sinks, each with its own settings, in the order of the {@code sinks} option
 */
public record AuditOptions(Path spoolDir, Guarantee guarantee, long asyncMaxDelayMs, long beforeResponseTimeoutMs,
                           long spoolMaxBytes, long spoolMaxRecords, FullPolicy fullPolicy, long segmentMaxBytes,
                           int queueCapacity, List<SinkSettings> sinks, long checkpointEveryRecords,
                           long checkpointEveryMs, Path checkpointKey, Set<AuditKind> kinds, boolean global,
                           int batchRecords, long backoffBaseMs, long backoffCapMs, String chainId,
                           long commitWindowMs, long busyCommitWindowMs) {

    public AuditOptions {
        sinks = List.copyOf(sinks);
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    }

    /**
     * The lossless defaults: before-response (no token response before its record is fsynced) in {@code spoolDir},
     * file sink {@code spoolDir/audit.jsonl}, all kinds.
     */
    public static AuditOptions defaults(Path spoolDir) {
        return builder(spoolDir).build();
    }

    /** A builder that starts from {@link #defaults(Path)}. */
    public static Builder builder(Path spoolDir) {
        return new Builder(spoolDir);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The names of the enabled sinks (cursor files, metrics tags). */
    public List<String> sinkNames() {
        return sinks.stream().map(SinkSettings::name).toList();
    }

    /** The settings of the enabled sink of this type, or null when no such sink is enabled. */
    public <T extends SinkSettings> T sink(Class<T> type) {
        return sinks.stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }

    public SpoolOptions spoolOptions() {
        return new SpoolOptions(spoolDir, guarantee, asyncMaxDelayMs, beforeResponseTimeoutMs, spoolMaxBytes,
                spoolMaxRecords, fullPolicy, segmentMaxBytes, queueCapacity, checkpointEveryRecords,
                checkpointEveryMs, sinkNames(), chainId, commitWindowMs, busyCommitWindowMs);
    }

    /** Copies of {@link AuditOptions} with some values changed; the values it starts from are the defaults. */
    public static final class Builder {
        private final Path spoolDir;
        private Guarantee guarantee = Guarantee.BEFORE_RESPONSE;
        private long asyncMaxDelayMs = 200;
        private long beforeResponseTimeoutMs = 5_000;
        private long spoolMaxBytes = 1L << 30;
        private long spoolMaxRecords = 10_000_000;
        private FullPolicy fullPolicy = FullPolicy.FAIL_CLOSED;
        private long segmentMaxBytes = 16L << 20;
        private int queueCapacity = 65_536;
        private List<SinkSettings> sinks;
        private long checkpointEveryRecords = 10_000;
        private long checkpointEveryMs = 60_000;
        private Path checkpointKey;
        private Set<AuditKind> kinds = EnumSet.allOf(AuditKind.class);
        private boolean global;
        private int batchRecords = 500;
        private long backoffBaseMs = 200;
        private long backoffCapMs = 30_000;
        private String chainId;
        private long commitWindowMs = SpoolOptions.DEFAULT_COMMIT_WINDOW_MS;
        private long busyCommitWindowMs = SpoolOptions.DEFAULT_BUSY_COMMIT_WINDOW_MS;

        private Builder(Path spoolDir) {
            this.spoolDir = spoolDir;
            this.sinks = List.of(new FileSink.Settings(spoolDir.resolve("audit.jsonl"), 100L << 20, RecordFormat.JSON));
        }

        private Builder(AuditOptions o) {
            spoolDir = o.spoolDir;
            guarantee = o.guarantee;
            asyncMaxDelayMs = o.asyncMaxDelayMs;
            beforeResponseTimeoutMs = o.beforeResponseTimeoutMs;
            spoolMaxBytes = o.spoolMaxBytes;
            spoolMaxRecords = o.spoolMaxRecords;
            fullPolicy = o.fullPolicy;
            segmentMaxBytes = o.segmentMaxBytes;
            queueCapacity = o.queueCapacity;
            sinks = o.sinks;
            checkpointEveryRecords = o.checkpointEveryRecords;
            checkpointEveryMs = o.checkpointEveryMs;
            checkpointKey = o.checkpointKey;
            kinds = o.kinds;
            global = o.global;
            batchRecords = o.batchRecords;
            backoffBaseMs = o.backoffBaseMs;
            backoffCapMs = o.backoffCapMs;
            chainId = o.chainId;
            commitWindowMs = o.commitWindowMs;
            busyCommitWindowMs = o.busyCommitWindowMs;
        }

        public Builder guarantee(Guarantee value) {
            guarantee = value;
            return this;
        }

        public Builder asyncMaxDelayMs(long value) {
            asyncMaxDelayMs = value;
            return this;
        }

        public Builder beforeResponseTimeoutMs(long value) {
            beforeResponseTimeoutMs = value;
            return this;
        }

        public Builder spoolLimits(long maxBytes, long maxRecords, FullPolicy whenFull) {
            spoolMaxBytes = maxBytes;
            spoolMaxRecords = maxRecords;
            fullPolicy = whenFull;
            return this;
        }

        public Builder segmentMaxBytes(long value) {
            segmentMaxBytes = value;
            return this;
        }

        public Builder queueCapacity(int value) {
            queueCapacity = value;
            return this;
        }

        public Builder sinks(List<? extends SinkSettings> value) {
            sinks = List.copyOf(value);
            return this;
        }

        public Builder sinks(SinkSettings... value) {
            return sinks(List.of(value));
        }

        public Builder checkpoints(long everyRecords, long everyMs, Path key) {
            checkpointEveryRecords = everyRecords;
            checkpointEveryMs = everyMs;
            checkpointKey = key;
            return this;
        }

        public Builder kinds(Set<AuditKind> value) {
            kinds = value;
            return this;
        }

        public Builder global(boolean value) {
            global = value;
            return this;
        }

        public Builder batchRecords(int value) {
            batchRecords = value;
            return this;
        }

        public Builder backoff(long baseMs, long capMs) {
            backoffBaseMs = baseMs;
            backoffCapMs = capMs;
            return this;
        }

        public Builder commitWindowMs(long value) {
            commitWindowMs = value;
            return this;
        }

        public Builder busyCommitWindowMs(long value) {
            busyCommitWindowMs = value;
            return this;
        }

        public Builder chainId(String value) {
            chainId = value;
            return this;
        }

        public AuditOptions build() {
            return new AuditOptions(spoolDir, guarantee, asyncMaxDelayMs, beforeResponseTimeoutMs, spoolMaxBytes,
                    spoolMaxRecords, fullPolicy, segmentMaxBytes, queueCapacity, sinks, checkpointEveryRecords,
                    checkpointEveryMs, checkpointKey, kinds, global, batchRecords, backoffBaseMs, backoffCapMs,
                    chainId, commitWindowMs, busyCommitWindowMs);
        }
    }
}
