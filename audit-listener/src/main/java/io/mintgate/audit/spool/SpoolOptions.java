package io.mintgate.audit.spool;

import java.nio.file.Path;
import java.util.List;

/**
 * @param sinks                 names of the sinks that read the spool; each keeps its own cursor
 * @param segmentMaxBytes       a segment is closed and a new one started beyond this size
 * @param queueCapacity         bound of the request-thread hand-off queue
 * @param checkpointEveryRecords 0 disables count-based checkpoints
 * @param checkpointEveryMs      0 disables time-based checkpoints
 * @param chainId               the {@code chain-id} option: the chain id a new spool takes (null: a random UUID);
 *                              a spool that has one keeps it ({@link io.mintgate.audit.chain.ChainId})
 * @param commitWindowMs        under before-response, how long the writer lets a busy endpoint's records gather
 *                              before one write and fsync for all of them (0: never waits)
 * @param busyCommitWindowMs    the window instead of {@code commitWindowMs} while Keycloak's process uses nearly all of
 *                              its CPUs ({@link CpuSaturation}); 0: the same window whatever the load
 */
public record SpoolOptions(Path dir, Guarantee guarantee, long asyncMaxDelayMs, long beforeResponseTimeoutMs,
                           long maxBytes, long maxRecords, FullPolicy fullPolicy, long segmentMaxBytes,
                           int queueCapacity, long checkpointEveryRecords, long checkpointEveryMs, List<String> sinks,
                           String chainId, long commitWindowMs, long busyCommitWindowMs) {
    /** Two milliseconds: a few records per fsync at a few hundred tokens per second, little next to a token's latency. */
    public static final long DEFAULT_COMMIT_WINDOW_MS = 2;
    /**
     * Eight milliseconds while the CPUs are the bottleneck: each write-and-fsync cycle costs the writer more CPU than
     * a record's encoding, so larger batches give CPU back to token requests when they need it most.
     */
    public static final long DEFAULT_BUSY_COMMIT_WINDOW_MS = 8;

    public SpoolOptions {
        sinks = List.copyOf(sinks);
        // Drop-oldest can only free whole closed segments, so a segment must be well below the limit.
        segmentMaxBytes = Math.max(4096, Math.min(segmentMaxBytes, maxBytes / 4));
    }

    public static SpoolOptions defaults(Path dir, List<String> sinks) {
        return new SpoolOptions(dir, Guarantee.BEFORE_RESPONSE, 200, 5000, 1L << 30, 10_000_000, FullPolicy.FAIL_CLOSED,
                16L << 20, 65_536, 10_000, 60_000, sinks, null, DEFAULT_COMMIT_WINDOW_MS,
                DEFAULT_BUSY_COMMIT_WINDOW_MS);
    }

    public SpoolOptions withGuarantee(Guarantee g) {
        return new SpoolOptions(dir, g, asyncMaxDelayMs, beforeResponseTimeoutMs, maxBytes, maxRecords, fullPolicy,
                segmentMaxBytes, queueCapacity, checkpointEveryRecords, checkpointEveryMs, sinks, chainId, commitWindowMs,
                busyCommitWindowMs);
    }

    public SpoolOptions withLimits(long bytes, long records, FullPolicy policy, long segmentBytes) {
        return new SpoolOptions(dir, guarantee, asyncMaxDelayMs, beforeResponseTimeoutMs, bytes, records, policy,
                segmentBytes, queueCapacity, checkpointEveryRecords, checkpointEveryMs, sinks, chainId, commitWindowMs,
                busyCommitWindowMs);
    }

    public SpoolOptions withCheckpoints(long everyRecords, long everyMs) {
        return new SpoolOptions(dir, guarantee, asyncMaxDelayMs, beforeResponseTimeoutMs, maxBytes, maxRecords,
                fullPolicy, segmentMaxBytes, queueCapacity, everyRecords, everyMs, sinks, chainId, commitWindowMs,
                busyCommitWindowMs);
    }

    public SpoolOptions withChainId(String id) {
        return new SpoolOptions(dir, guarantee, asyncMaxDelayMs, beforeResponseTimeoutMs, maxBytes, maxRecords,
                fullPolicy, segmentMaxBytes, queueCapacity, checkpointEveryRecords, checkpointEveryMs, sinks, id, commitWindowMs,
                busyCommitWindowMs);
    }

    public SpoolOptions withBusyCommitWindowMs(long ms) {
        return new SpoolOptions(dir, guarantee, asyncMaxDelayMs, beforeResponseTimeoutMs, maxBytes, maxRecords,
                fullPolicy, segmentMaxBytes, queueCapacity, checkpointEveryRecords, checkpointEveryMs, sinks, chainId,
                commitWindowMs, ms);
    }

    public SpoolOptions withCommitWindowMs(long ms) {
        return new SpoolOptions(dir, guarantee, asyncMaxDelayMs, beforeResponseTimeoutMs, maxBytes, maxRecords,
                fullPolicy, segmentMaxBytes, queueCapacity, checkpointEveryRecords, checkpointEveryMs, sinks, chainId, ms,
                busyCommitWindowMs);
    }
}
