package io.mintgate.audit;

import io.mintgate.audit.record.AuditKind;
import io.mintgate.audit.ship.HttpSinkOptions;
import io.mintgate.audit.ship.KafkaSinkOptions;
import io.mintgate.audit.spool.FullPolicy;
import io.mintgate.audit.spool.Guarantee;
import io.mintgate.audit.spool.SpoolOptions;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Everything the audit pipeline needs, independent of Keycloak so tests and the integration harness can build it
 * directly. {@code AuditOptionsReader} fills it from the server options.
 */
public record AuditOptions(Path spoolDir, Guarantee guarantee, long asyncMaxDelayMs, long beforeResponseTimeoutMs,
                           long spoolMaxBytes, long spoolMaxRecords, FullPolicy fullPolicy, long segmentMaxBytes,
                           int queueCapacity, List<String> sinks, Path filePath, long fileMaxBytes,
                           HttpSinkOptions http, KafkaSinkOptions kafka, long checkpointEveryRecords,
                           long checkpointEveryMs, Path checkpointKey, Set<AuditKind> kinds, boolean global,
                           int batchRecords, long backoffBaseMs, long backoffCapMs, String chainId,
                           long commitWindowMs) {

    public AuditOptions {
        sinks = List.copyOf(sinks);
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    }

    /**
     * The lossless defaults: before-response (no token response before its record is fsynced) in {@code spoolDir},
     * file sink {@code spoolDir/audit.jsonl}, all kinds.
     */
    public static AuditOptions defaults(Path spoolDir) {
        return new AuditOptions(spoolDir, Guarantee.BEFORE_RESPONSE, 200, 5_000, 1L << 30, 10_000_000, FullPolicy.FAIL_CLOSED,
                16L << 20, 65_536, List.of("file"), spoolDir.resolve("audit.jsonl"), 100L << 20, null, null,
                10_000, 60_000, null, EnumSet.allOf(AuditKind.class), false, 500, 200, 30_000, null,
                SpoolOptions.DEFAULT_COMMIT_WINDOW_MS);
    }

    public SpoolOptions spoolOptions() {
        return new SpoolOptions(spoolDir, guarantee, asyncMaxDelayMs, beforeResponseTimeoutMs, spoolMaxBytes,
                spoolMaxRecords, fullPolicy, segmentMaxBytes, queueCapacity, checkpointEveryRecords,
                checkpointEveryMs, sinks, chainId, commitWindowMs);
    }

    public AuditOptions withSinks(List<String> newSinks, HttpSinkOptions newHttp, KafkaSinkOptions newKafka) {
        return new AuditOptions(spoolDir, guarantee, asyncMaxDelayMs, beforeResponseTimeoutMs, spoolMaxBytes,
                spoolMaxRecords, fullPolicy, segmentMaxBytes, queueCapacity, newSinks, filePath, fileMaxBytes, newHttp,
                newKafka, checkpointEveryRecords, checkpointEveryMs, checkpointKey, kinds, global, batchRecords,
                backoffBaseMs, backoffCapMs, chainId, commitWindowMs);
    }

    public AuditOptions withGuarantee(Guarantee g) {
        return new AuditOptions(spoolDir, g, asyncMaxDelayMs, beforeResponseTimeoutMs, spoolMaxBytes,
                spoolMaxRecords, fullPolicy, segmentMaxBytes, queueCapacity, sinks, filePath, fileMaxBytes, http,
                kafka, checkpointEveryRecords, checkpointEveryMs, checkpointKey, kinds, global, batchRecords,
                backoffBaseMs, backoffCapMs, chainId, commitWindowMs);
    }

    public AuditOptions withCheckpoints(long everyRecords, long everyMs, Path key) {
        return new AuditOptions(spoolDir, guarantee, asyncMaxDelayMs, beforeResponseTimeoutMs, spoolMaxBytes,
                spoolMaxRecords, fullPolicy, segmentMaxBytes, queueCapacity, sinks, filePath, fileMaxBytes, http,
                kafka, everyRecords, everyMs, key, kinds, global, batchRecords, backoffBaseMs, backoffCapMs, chainId, commitWindowMs);
    }

    public AuditOptions withFile(Path path, long maxBytes) {
        return new AuditOptions(spoolDir, guarantee, asyncMaxDelayMs, beforeResponseTimeoutMs, spoolMaxBytes,
                spoolMaxRecords, fullPolicy, segmentMaxBytes, queueCapacity, sinks, path, maxBytes, http, kafka,
                checkpointEveryRecords, checkpointEveryMs, checkpointKey, kinds, global, batchRecords, backoffBaseMs,
                backoffCapMs, chainId, commitWindowMs);
    }

    public AuditOptions withBackoff(long baseMs, long capMs) {
        return new AuditOptions(spoolDir, guarantee, asyncMaxDelayMs, beforeResponseTimeoutMs, spoolMaxBytes,
                spoolMaxRecords, fullPolicy, segmentMaxBytes, queueCapacity, sinks, filePath, fileMaxBytes, http,
                kafka, checkpointEveryRecords, checkpointEveryMs, checkpointKey, kinds, global, batchRecords, baseMs,
                capMs, chainId, commitWindowMs);
    }

    public AuditOptions withChainId(String id) {
        return new AuditOptions(spoolDir, guarantee, asyncMaxDelayMs, beforeResponseTimeoutMs, spoolMaxBytes,
                spoolMaxRecords, fullPolicy, segmentMaxBytes, queueCapacity, sinks, filePath, fileMaxBytes, http,
                kafka, checkpointEveryRecords, checkpointEveryMs, checkpointKey, kinds, global, batchRecords,
                backoffBaseMs, backoffCapMs, id, commitWindowMs);
    }
}
