package io.mintgate.audit.spool;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.audit.chain.ChainId;
import io.mintgate.audit.chain.CheckpointSigner;
import io.mintgate.audit.chain.HashChain;
import io.mintgate.audit.metrics.AuditMetrics;
import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.record.CheckpointData;
import io.mintgate.audit.record.RecordEncoder;
import io.mintgate.audit.record.RecordJson;
import io.mintgate.audit.record.RecordType;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The durable local spool: append-only segment files written by exactly one writer thread.
 *
 * <p>Request threads only put the record on a bounded queue ({@link #append}). The writer drains whatever is queued,
 * chains and frames it, writes it with one write call and makes it durable with one {@code force} (group commit):
 * many records per fsync is what makes a durable audit trail affordable. Shippers read records only up to
 * {@link #durableSeq()}, so nothing leaves the node that a crash could still take back (and re-number).
 *
 * <p>Under before-response every waiter of a batch is woken right after its fsync. When requests overlap (recent
 * batches held more than one) and arrive faster than one per commit window, the writer lets them gather for that
 * window before it writes ({@link #gather}), a longer one while the process is CPU-bound ({@link CpuSaturation});
 * otherwise whatever queued up during the previous fsync is the next
 * batch, and a lone client never waits for company that is not coming. A segment's file is zero-filled ahead of the
 * records ({@link #preallocate}), so that an {@code fdatasync} after an append need not commit the file system's
 * journal; recovery reads trailing zeros as the end of the data.
 */
public final class Spool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Spool.class);
    private static final int MAX_BATCH = 4096;
    private static final long IDLE_WAKEUP_MS = 250;
    /**
     * Under the async guarantee the writer, woken by a record, lets the records of concurrent requests gather this
     * long before it drains the queue. Without it a busy token endpoint wakes the writer for every record or two
     * (a futex call on the request thread) and the writer issues a write call per wake-up — measured at ~50 µs of
     * CPU per write on the benchmark VM, more than encoding a record. With it: one wake-up and one write per 50 ms
     * (20 ms still left ~6 µs of write, poll and park per record at 700 records/s). A quarter of async-max-delay at
     * most (50 ms with the default 200), so well inside the async guarantee's own loss window (a record is not
     * durable before the next fsync anyway); never applied under before-response, whose callers wait for the fsync.
     */
    private static final long ASYNC_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final String CHECKPOINT_SOURCE = "/mintgate/audit";
    /**
     * How far ahead of the records a segment is zero-filled. Writing into blocks the file already has keeps the
     * file's length and extents unchanged, so {@code fdatasync} flushes data only; growing the file makes every one
     * of them commit ext4's journal too (~62 against ~47 µs of CPU per fsync on the benchmark VM). One journal commit
     * per MiB instead of one per batch.
     */
    private static final long PREALLOCATE_BYTES = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10).asReadOnlyBuffer();
    /** Weight of the newest batch in the writer's running estimates (1/8). */
    private static final double SMOOTHING = 1.0 / 8;
    /**
     * Requests per batch above which requests are taken to overlap. A client that sends its next request only after
     * the last answer makes batches of exactly one; concurrent clients make some of two or more even without a
     * window, and the window then keeps them larger.
     */
    private static final double OVERLAP = 1.1;

    private final SpoolOptions options;
    private final AuditMetrics metrics;
    private final CheckpointSigner signer;
    private final ChainId chainId;
    private final BlockingQueue<Pending> queue;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final CursorStore cursors;
    private final HashChain chain;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Object durableMonitor = new Object();
    /**
     * The lowest durable sequence a thread in {@link #awaitDurableAfter} waits for (guarded by durableMonitor): the
     * writer wakes them only when it is reached, not after every fsync, which under before-response come hundreds of
     * times a second while a shipper waits for a batch to fill.
     */
    private long wakeWaitersAt = Long.MAX_VALUE;
    private final Thread writer;

    private final java.util.concurrent.atomic.AtomicLong enqueued = new java.util.concurrent.atomic.AtomicLong();
    /** Appended records whose fate is known (fsynced or failed); written by the writer only. */
    private volatile long settled;
    private volatile long forces;
    private volatile boolean accepting = true;
    private volatile boolean stopping;
    private volatile boolean halted;
    private volatile long durableSeq;
    private volatile long writtenSeq;
    private volatile long unshippedRecords;
    private volatile long unshippedBytes;
    /** Wall-clock millis of the last successful fsync of records and of the last failed write; -1 = never. */
    private volatile long lastForceAt = -1;
    private volatile long lastWriteFailureAt = -1;

    // Writer-thread-only state below.
    private Segment activeSegment;
    private FileChannel active;
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    private final RecordEncoder encoder;
    private final CRC32C crc = new CRC32C();
    private long bufferedLastSeq;
    private String bufferedLastHash;
    private String writtenHash;
    private final List<Pending> awaitingForce = new ArrayList<>();
    private long firstUnforcedAt = -1;
    private long recordsSinceCheckpoint;
    private long lastCheckpointAt = System.currentTimeMillis();
    private boolean rotateBeforeNextWrite;
    /** End of the zero-filled part of the active segment's file; at or beyond {@code activeSegment.size}. */
    private long allocatedEnd;
    /** Smoothed time between two requests' hand-offs, and requests per batch, from the batches so far. */
    private double requestGapNanos = Double.MAX_VALUE;
    private double requestsPerBatch = 1;
    private long lastBatchNanos;
    private volatile long windowsWaited;
    private volatile long busyWindowsWaited;
    private final CpuSaturation cpu;

    private Spool(SpoolOptions options, CheckpointSigner signer, AuditMetrics metrics, CpuSaturation cpu)
            throws IOException {
        this.options = options;
        this.cpu = cpu;
        this.metrics = metrics;
        this.signer = signer;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        Files.createDirectories(options.dir());
        this.lockChannel = FileChannel.open(options.dir().resolve("spool.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        this.lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new IOException("audit spool " + options.dir() + " is in use by another process; "
                    + "each Keycloak node needs its own spool-dir");
        }
        try {
            this.chainId = ChainId.loadOrCreate(options.dir(), options.chainId());
        } catch (IOException | RuntimeException e) {
            // A refused chain id stops the start; the lock must not outlive it (a retry in this JVM would be refused).
            lock.release();
            lockChannel.close();
            throw e;
        }
        this.encoder = new RecordEncoder(chainId.value());
        Recovered recovered = recover();
        HashChain.Link head = recovered.head();
        this.chain = new HashChain(head.seq(), head.hash());
        this.durableSeq = head.seq();
        this.writtenSeq = head.seq();
        this.writtenHash = head.hash();
        this.bufferedLastSeq = head.seq();
        this.bufferedLastHash = head.hash();
        this.cursors = new CursorStore(options.dir());
        long retainedFrom = segments.isEmpty() ? head.seq() : segments.firstEntry().getValue().firstSeq - 1;
        for (String sink : options.sinks()) {
            cursors.load(sink, retainedFrom);
        }
        openActive(head.seq() + 1);
        updateUsage();
        checkpointRecoveredTail(recovered.uncheckpointed());
        this.writer = new Thread(this::runWriter, "mintgate-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens (and recovers) the spool in {@code options.dir()} and starts its writer thread. */
    public static Spool open(SpoolOptions options, CheckpointSigner signerOrNull, AuditMetrics metrics)
            throws IOException {
        return new Spool(options, signerOrNull, metrics, CpuSaturation.ofThisProcess());
    }

    /** As {@link #open(SpoolOptions, CheckpointSigner, AuditMetrics)}, judging CPU scarcity by {@code cpu}. */
    static Spool open(SpoolOptions options, CheckpointSigner signerOrNull, AuditMetrics metrics, CpuSaturation cpu)
            throws IOException {
        return new Spool(options, signerOrNull, metrics, cpu);
    }

    // ---------------------------------------------------------------- request-thread side

    /**
     * Hands the record to the writer. Cheap and bounded: a queue offer, waiting at most
     * {@code before-response-timeout-ms} when the writer is behind.
     *
     * @return completes when the record is fsynced
     * @throws AuditUnavailableException when the spool is full under fail-closed, closed, or the queue stays full
     */
    public CompletableFuture<Void> append(AuditRecord record) {
        Pending pending = Pending.withFuture(record);
        handOff(pending);
        return pending.future();
    }

    /**
     * Appends and, under {@link Guarantee#BEFORE_RESPONSE}, parks the calling thread until the record is fsynced
     * (bounded by {@code before-response-timeout-ms}); under async it only hands off.
     */
    public void appendDurably(AuditRecord record) {
        appendAllDurably(List.of(record));
    }

    /**
     * The records of one request: all are handed off before the first wait, so they share one batch and one fsync
     * rather than paying one each.
     */
    public void appendAllDurably(List<AuditRecord> records) {
        if (options.guarantee() != Guarantee.BEFORE_RESPONSE) {
            for (AuditRecord record : records) {
                handOff(Pending.unwatched(record));
            }
            return;
        }
        Pending[] pending = new Pending[records.size()];
        for (int i = 0; i < pending.length; i++) {
            pending[i] = Pending.awaitedByCaller(records.get(i), i == 0);
            handOff(pending[i]);
        }
        for (Pending p : pending) {
            p.await(options.beforeResponseTimeoutMs());
        }
    }

    private void handOff(Pending pending) {
        if (!accepting) {
            throw new AuditUnavailableException("audit spool " + options.dir() + " is closed");
        }
        if (options.fullPolicy() == FullPolicy.FAIL_CLOSED && isFull()) {
            throw new AuditUnavailableException("audit spool " + options.dir() + " is full (" + unshippedRecords
                    + " records / " + unshippedBytes + " bytes not yet shipped; limits " + options.maxRecords()
                    + " records / " + options.maxBytes() + " bytes); refusing the request (full-policy=fail-closed)");
        }
        try {
            if (!queue.offer(pending) && !queue.offer(pending, options.beforeResponseTimeoutMs(), TimeUnit.MILLISECONDS)) {
                throw new AuditUnavailableException("audit spool writer is " + queue.size()
                        + " records behind; refusing the request");
            }
            enqueued.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException("interrupted while handing off an audit record", e);
        }
    }

    /** Waits until every record appended before this call is fsynced (or failed). For tests and shutdown. */
    public boolean awaitSettled(long timeoutMs) throws InterruptedException {
        long target = enqueued.get();
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (settled < target) {
            if (System.currentTimeMillis() >= deadline || !writer.isAlive()) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /** True when the limits are reached: under fail-closed, appends are refused until a sink catches up. */
    public boolean isFull() {
        return unshippedBytes >= options.maxBytes() || unshippedRecords + queue.size() >= options.maxRecords();
    }

    /** Bytes of the spool's files holding records some sink has not acknowledged (what the limit counts). */
    public long unshippedBytes() {
        return unshippedBytes;
    }

    /** Records some sink has not acknowledged (what the limit counts). */
    public long unshippedRecords() {
        return unshippedRecords;
    }

    /** False from a failed write or fsync until the next successful fsync. */
    public boolean writable() {
        long failedAt = lastWriteFailureAt;
        return failedAt < 0 || lastForceAt > failedAt;
    }

    /** Wall-clock millis of the last failed write or fsync, -1 if none. */
    public long lastWriteFailureAt() {
        return lastWriteFailureAt;
    }

    // ---------------------------------------------------------------- shipper side

    public SpoolReader reader(String sink) {
        return new SpoolReader(this);
    }

    public long cursor(String sink) {
        return cursors.get(sink);
    }

    /** Records that {@code sink} has everything up to {@code seq}; segments all sinks have shipped get deleted. */
    public void acknowledge(String sink, long seq) {
        cursors.advance(sink, seq);
    }

    /** How many fsyncs the writer issued: group commit keeps this far below the record count. */
    public long forceCount() {
        return forces;
    }

    public long durableSeq() {
        return durableSeq;
    }

    /** How many batches the writer let gather for a commit window (overlapping requests under before-response). */
    public long windowsWaited() {
        return windowsWaited;
    }

    /** Of {@link #windowsWaited()}, those of the busy window, waited while CPU was scarce. */
    public long busyWindowsWaited() {
        return busyWindowsWaited;
    }

    /** Waits until records beyond {@code seq} are durable; returns false on timeout. */
    public boolean awaitDurableAfter(long seq, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (durableMonitor) {
            while (durableSeq <= seq) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || stopping && queue.isEmpty() && !writer.isAlive()) {
                    return false;
                }
                wakeWaitersAt = Math.min(wakeWaitersAt, seq + 1);
                durableMonitor.wait(left);
            }
            return true;
        }
    }

    public long depth(String sink) {
        return Math.max(0, durableSeq - cursors.get(sink));
    }

    public Path dir() {
        return options.dir();
    }

    /** The id of this spool's chain, in every record it writes. */
    public ChainId chainId() {
        return chainId;
    }

    public SpoolOptions options() {
        return options;
    }

    Segment segmentContaining(long seq) {
        Map.Entry<Long, Segment> e = segments.floorEntry(seq);
        return e != null ? e.getValue() : (segments.isEmpty() ? null : segments.firstEntry().getValue());
    }

    Segment segmentAfter(Segment s) {
        Map.Entry<Long, Segment> e = segments.higherEntry(s.firstSeq);
        return e == null ? null : e.getValue();
    }

    // ---------------------------------------------------------------- writer thread

    private void runWriter() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!halted) {
            try {
                Pending first = queue.poll(nextWakeupMillis(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    if (options.guarantee() == Guarantee.BEFORE_RESPONSE) {
                        gather();
                    } else {
                        linger();
                    }
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    learnArrivals(batch);
                }
            } catch (InterruptedException e) {
                // Only close() may stop the writer; an interrupt would also close the FileChannel under us.
                Thread.interrupted();
            }
            if (halted) {
                return;
            }
            boolean last = stopping && queue.isEmpty();
            try {
                for (Pending p : batch) {
                    writeRecord(p.record, p.appendedAt);
                    awaitingForce.add(p);
                    countForCheckpoint();
                }
                long now = System.currentTimeMillis();
                if (recordsSinceCheckpoint > 0 && (last
                        || options.checkpointEveryMs() > 0 && now - lastCheckpointAt >= options.checkpointEveryMs())) {
                    writeCheckpoint();
                }
                flushBuffer();
                maybeForce(last);
            } catch (IOException | RuntimeException e) {
                failUnforced(e);
            }
            batch.clear();
            try {
                updateUsage();
                enforceLimits();
                deleteShippedSegments();
            } catch (IOException | RuntimeException e) {
                LOG.errorf(e, "Mintgate audit spool housekeeping in %s failed; will retry", options.dir());
            }
            if (last) {
                return;
            }
        }
    }

    private void linger() {
        // Skipped when the queue is already filling up: then there is a batch to write right away.
        if (options.guarantee() == Guarantee.ASYNC && !stopping && queue.size() < options.queueCapacity() / 4) {
            LockSupport.parkNanos(Math.min(ASYNC_LINGER_NANOS,
                    TimeUnit.MILLISECONDS.toNanos(options.asyncMaxDelayMs()) / 4));
        }
    }

    /**
     * Under before-response: waits one commit window for the records of concurrent requests when requests overlap
     * and come faster than one per window, so that they share one write and one fsync (each waiter pays its share of
     * one cycle, not a whole one). A lone or slow client's record is written at once.
     */
    private void gather() {
        boolean busy = options.busyCommitWindowMs() > 0 && cpu.saturated();
        long window = TimeUnit.MILLISECONDS.toNanos(busy ? options.busyCommitWindowMs() : options.commitWindowMs());
        if (window > 0 && requestsPerBatch > OVERLAP && requestGapNanos < window && !stopping
                && queue.size() < MAX_BATCH) {
            windowsWaited++;
            busyWindowsWaited += busy ? 1 : 0;
            LockSupport.parkNanos(window);
        }
    }

    private void learnArrivals(List<Pending> batch) {
        int requests = 0;
        for (Pending p : batch) {
            requests += p.opensRequest ? 1 : 0;
        }
        requests = Math.max(1, requests);
        long now = System.nanoTime();
        if (lastBatchNanos != 0) {
            double gap = (double) (now - lastBatchNanos) / requests;
            requestGapNanos = requestGapNanos == Double.MAX_VALUE ? gap
                    : requestGapNanos + (gap - requestGapNanos) * SMOOTHING;
        }
        requestsPerBatch += (requests - requestsPerBatch) * SMOOTHING;
        lastBatchNanos = now;
    }

    private long nextWakeupMillis() {
        long now = System.currentTimeMillis();
        long wake = IDLE_WAKEUP_MS;
        if (firstUnforcedAt >= 0) {
            wake = Math.min(wake, firstUnforcedAt + options.asyncMaxDelayMs() - now);
        }
        if (recordsSinceCheckpoint > 0 && options.checkpointEveryMs() > 0) {
            wake = Math.min(wake, lastCheckpointAt + options.checkpointEveryMs() - now);
        }
        return Math.max(1, wake);
    }

    private void countForCheckpoint() throws IOException {
        recordsSinceCheckpoint++;
        if (options.checkpointEveryRecords() > 0 && recordsSinceCheckpoint >= options.checkpointEveryRecords()) {
            writeCheckpoint();
        }
    }

    private void writeCheckpoint() throws IOException {
        lastCheckpointAt = System.currentTimeMillis();
        if (signer == null) {
            recordsSinceCheckpoint = 0;
            return;
        }
        CheckpointData data = signer.sign(chainId.value(), chain.seq(), chain.lastHash(), recordsSinceCheckpoint);
        AuditRecord checkpoint = new AuditRecord(UUID.randomUUID().toString(), RecordType.CHECKPOINT,
                CHECKPOINT_SOURCE, Instant.ofEpochMilli(lastCheckpointAt).toString(), null, data);
        recordsSinceCheckpoint = 0;
        writeRecord(checkpoint, lastCheckpointAt);
    }

    private void writeRecord(AuditRecord record, long appendedAt) throws IOException {
        long seq = chain.seq() + 1;
        if (needsRotation(seq)) {
            flushBuffer();
            rotate(seq);
        }
        HashChain.Link link = chain.seal(record, encoder);
        RecordEncoder.Bytes payload = encoder.payloadBytes();
        int frameLength = Frame.HEADER + payload.length();
        if (buffer.remaining() < frameLength) {
            flushBuffer();
            if (buffer.capacity() < frameLength) {
                buffer = ByteBuffer.allocate(frameLength);
            }
        }
        Frame.write(buffer, crc, link.seq(), appendedAt, payload.array(), payload.length());
        bufferedLastSeq = link.seq();
        bufferedLastHash = link.hash();
        if (firstUnforcedAt < 0) {
            firstUnforcedAt = appendedAt;
        }
    }

    private boolean needsRotation(long nextSeq) {
        long size = activeSegment.size + buffer.position();
        boolean full = size > 0 && size >= options.segmentMaxBytes();
        return (full || rotateBeforeNextWrite && size > 0) && activeSegment.firstSeq < nextSeq;
    }

    private void flushBuffer() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        long at = activeSegment.size;
        preallocate(at + buffer.remaining());
        while (buffer.hasRemaining()) {
            at += active.write(buffer, at);
        }
        buffer.clear();
        activeSegment.size = at;
        activeSegment.lastSeq = bufferedLastSeq;
        writtenSeq = bufferedLastSeq;
        writtenHash = bufferedLastHash;
    }

    /** Zero-fills the active segment's file ahead of {@code end}; the next fsync makes the new length durable. */
    private void preallocate(long end) throws IOException {
        if (end <= allocatedEnd) {
            return;
        }
        long target = Math.max(end, Math.min(allocatedEnd + PREALLOCATE_BYTES, options.segmentMaxBytes()));
        while (allocatedEnd < target) {
            ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit((int) Math.min(zeros.capacity(), target - allocatedEnd));
            allocatedEnd += active.write(zeros, allocatedEnd);
        }
    }

    /** Cuts the zero-filled part after the records, so a closed segment ends with its last record. */
    private void trimPreallocation() throws IOException {
        active.truncate(activeSegment.size);
        allocatedEnd = activeSegment.size;
    }

    private void maybeForce(boolean last) throws IOException {
        if (writtenSeq == durableSeq) {
            return;
        }
        long now = System.currentTimeMillis();
        if (options.guarantee() == Guarantee.BEFORE_RESPONSE || last
                || now - firstUnforcedAt >= options.asyncMaxDelayMs()) {
            force();
        }
    }

    private void force() throws IOException {
        active.force(false);
        forces++;
        lastForceAt = System.currentTimeMillis();
        long newlyDurable = writtenSeq - durableSeq;
        // Refresh the fill level before releasing waiters, so the next append sees the limit it just reached.
        updateUsage();
        synchronized (durableMonitor) {
            durableSeq = writtenSeq;
            if (durableSeq >= wakeWaitersAt) {
                // Every woken waiter that still waits registers its target again.
                wakeWaitersAt = Long.MAX_VALUE;
                durableMonitor.notifyAll();
            }
        }
        metrics.appended(newlyDurable);
        for (Pending p : awaitingForce) {
            p.durable();
        }
        settled += awaitingForce.size();
        awaitingForce.clear();
        firstUnforcedAt = -1;
    }

    /** Starts a new segment; the old one is fsynced first so durability never depends on a closed file. */
    private void rotate(long firstSeq) throws IOException {
        force();
        trimPreallocation();
        active.close();
        rotateBeforeNextWrite = false;
        openActive(firstSeq);
    }

    private void openActive(long nextSeq) throws IOException {
        Map.Entry<Long, Segment> newest = segments.lastEntry();
        if (newest != null && newest.getValue().size < options.segmentMaxBytes()) {
            activeSegment = newest.getValue();
            active = FileChannel.open(activeSegment.path, StandardOpenOption.WRITE);
            allocatedEnd = active.size();
            return;
        }
        Path path = options.dir().resolve(Segment.fileName(nextSeq));
        active = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        // force(false) makes a record's bytes and the file's length durable, not the file's name in the directory.
        syncDirectory();
        allocatedEnd = 0;
        activeSegment = new Segment(nextSeq, path, nextSeq - 1, 0);
        segments.put(nextSeq, activeSegment);
    }

    /** A write or fsync failed: put the chain back to what is on disk and tell everyone who waits. */
    private void failUnforced(Exception e) {
        lastWriteFailureAt = System.currentTimeMillis();
        List<Pending> failed = new ArrayList<>(awaitingForce);
        awaitingForce.clear();
        buffer.clear();
        long lost = failed.size();
        try {
            if (active.isOpen()) {
                trimPreallocation();
            }
        } catch (IOException ignored) {
            // The recovery scan on restart cuts whatever is left of a partial frame.
        }
        chain.reset(writtenSeq, writtenHash);
        bufferedLastSeq = writtenSeq;
        bufferedLastHash = writtenHash;
        firstUnforcedAt = writtenSeq > durableSeq ? System.currentTimeMillis() : -1;
        AuditUnavailableException failure = new AuditUnavailableException(
                "audit spool write to " + options.dir() + " failed: " + e.getMessage(), e);
        failed.forEach(p -> p.failed(failure));
        settled += failed.size();
        metrics.dropped(lost, "write_error");
        LOG.errorf(e, "Mintgate audit could not write %d records to %s; requests waiting for them fail "
                + "(guarantee=%s). Check disk space and permissions.", lost, options.dir(),
                options.guarantee().name().toLowerCase().replace('_', '-'));
    }

    // ---------------------------------------------------------------- limits and cleanup (writer thread)

    private void updateUsage() {
        long min = cursors.min(options.sinks(), writtenSeq);
        long bytes = 0;
        for (Segment s : segments.values()) {
            if (s.lastSeq > min) {
                bytes += s.size;
            }
        }
        unshippedRecords = Math.max(0, writtenSeq - min);
        unshippedBytes = bytes;
    }

    private void enforceLimits() throws IOException {
        if (options.fullPolicy() != FullPolicy.DROP_OLDEST) {
            return;
        }
        while (unshippedBytes > options.maxBytes() || unshippedRecords > options.maxRecords()) {
            long min = cursors.min(options.sinks(), writtenSeq);
            Segment oldest = segments.values().stream()
                    .filter(s -> s != activeSegment && s.lastSeq > min).findFirst().orElse(null);
            if (oldest == null) {
                // Everything unshipped sits in the active segment: close it so the next pass can drop it.
                rotateBeforeNextWrite = true;
                return;
            }
            long dropped = oldest.lastSeq - Math.max(min, oldest.firstSeq - 1);
            for (String sink : options.sinks()) {
                cursors.advance(sink, oldest.lastSeq);
            }
            removeSegment(oldest);
            metrics.dropped(dropped, "spool_full");
            LOG.warnf("Mintgate audit spool %s is full (limits %d bytes / %d records): DROPPED %d unshipped records "
                    + "(seq %d..%d, file %s) under full-policy=drop-oldest. Sinks will show a gap in the chain.",
                    options.dir(), options.maxBytes(), options.maxRecords(), dropped, oldest.lastSeq - dropped + 1,
                    oldest.lastSeq, oldest.path.getFileName());
            updateUsage();
        }
    }

    private void deleteShippedSegments() throws IOException {
        long min = cursors.min(options.sinks(), writtenSeq);
        for (Segment s : segments.values()) {
            if (s == activeSegment || s.lastSeq > min) {
                return;
            }
            removeSegment(s);
        }
    }

    private void removeSegment(Segment s) throws IOException {
        s.deleted = true;
        segments.remove(s.firstSeq);
        Files.deleteIfExists(s.path);
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(options.dir(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not every platform can fsync a directory; the segment data itself is already forced.
        }
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Scans all segments, cuts a torn tail, and returns the chain head (last seq and hash on disk) and how many records
     * after the last checkpoint on disk no checkpoint covers yet.
     */
    private Recovered recover() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(options.dir())) {
            files = list.filter(Segment::isSegment).sorted().toList();
        }
        long lastSeq = 0;
        String lastHash = HashChain.GENESIS;
        long uncheckpointed = 0;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            long firstSeq = Segment.firstSeqOf(file);
            SpoolEntry lastEntry = null;
            long validEnd;
            long fileSize;
            boolean damaged;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                fileSize = ch.size();
                FrameReader reader = new FrameReader(ch, 0);
                for (SpoolEntry e; (e = reader.next(Long.MAX_VALUE)) != null; ) {
                    lastEntry = e;
                    uncheckpointed = RecordType.CHECKPOINT.equals(RecordJson.typeOf(e.payload())) ? 0 : uncheckpointed + 1;
                }
                validEnd = reader.position();
                damaged = validEnd < fileSize && !zeroFilled(ch, validEnd, fileSize);
                if (validEnd < fileSize) {
                    // A torn frame is cut; a zero-filled tail (preallocation) is the end of the data, trimmed quietly.
                    ch.truncate(validEnd);
                    ch.force(true);
                }
            }
            if (damaged) {
                boolean tail = i == files.size() - 1;
                String what = tail ? "torn last entry (crash during write)" : "damaged entry in a closed segment";
                LOG.warnf("Mintgate audit spool: %s in %s; cut %d bytes at offset %d", what, file,
                        fileSize - validEnd, validEnd);
            }
            if (lastEntry == null) {
                Files.delete(file);
                continue;
            }
            segments.put(firstSeq, new Segment(firstSeq, file, lastEntry.seq(), validEnd));
            lastSeq = lastEntry.seq();
            JsonNode tree = RecordJson.parse(lastEntry.payload());
            lastHash = tree.path(RecordJson.EXT_HASH).asText(HashChain.GENESIS);
        }
        if (lastSeq > 0) {
            LOG.infof("Mintgate audit spool %s recovered: %d segments, chain %s continues after seq %d",
                    options.dir(), segments.size(), chainId, lastSeq);
        }
        return new Recovered(new HashChain.Link(lastSeq, lastHash), uncheckpointed);
    }

    private static boolean zeroFilled(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
        for (long at = from; at < to; ) {
            chunk.clear();
            int n = ch.read(chunk, at);
            if (n <= 0) {
                return true;
            }
            for (int i = 0; i < n; i++) {
                if (chunk.get(i) != 0) {
                    return false;
                }
            }
            at += n;
        }
        return true;
    }

    /**
     * Signs the records a crash left after the last checkpoint at once, instead of when the next record arrives: an
     * idle node's trail would otherwise end in records no checkpoint vouches for (a clean stop writes its checkpoint
     * in {@link #close}). Runs in the constructor, before the writer thread owns this state. A failure is logged and
     * left to the next regular checkpoint, which then covers these records too.
     */
    private void checkpointRecoveredTail(long uncheckpointed) {
        if (uncheckpointed == 0 || signer == null) {
            return;
        }
        recordsSinceCheckpoint = uncheckpointed;
        try {
            writeCheckpoint();
            flushBuffer();
            force();
            LOG.infof("Mintgate audit spool %s: checkpoint at seq %d covers the %d records recovered after the last "
                    + "checkpoint", options.dir(), chain.seq(), uncheckpointed);
        } catch (IOException | RuntimeException e) {
            if (chain.seq() > writtenSeq) {
                // Not (wholly) in the file: take it back, so the chain continues from what is on disk.
                buffer.clear();
                try {
                    trimPreallocation();
                } catch (IOException ignored) {
                    // The next recovery scan cuts a partial frame.
                }
                chain.reset(writtenSeq, writtenHash);
                bufferedLastSeq = writtenSeq;
                bufferedLastHash = writtenHash;
                firstUnforcedAt = -1;
                recordsSinceCheckpoint = uncheckpointed;
            }
            LOG.errorf(e, "Mintgate audit spool %s: could not write or fsync the checkpoint for the %d recovered "
                    + "records; the writer retries the fsync, or the next checkpoint covers them", options.dir(),
                    uncheckpointed);
        }
    }

    /** What the recovery scan found: the chain head, and the records after the last checkpoint on disk. */
    private record Recovered(HashChain.Link head, long uncheckpointed) {
    }

    // ---------------------------------------------------------------- lifecycle

    /** Stops accepting, writes what is queued (plus a final checkpoint), fsyncs and stops the writer. */
    @Override
    public void close() {
        if (!accepting && stopping) {
            return;
        }
        accepting = false;
        stopping = true;
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.errorf("Mintgate audit spool writer did not finish within 30 s; %d records may be lost", queue.size());
        }
        releaseFiles();
    }

    /**
     * Stops dead, like {@code kill -9}: no flush, no final checkpoint, queued records are abandoned.
     * For crash-recovery tests.
     */
    public void halt() {
        accepting = false;
        halted = true;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        releaseFiles();
    }

    private void releaseFiles() {
        synchronized (durableMonitor) {
            durableMonitor.notifyAll();
        }
        try {
            if (!halted && !writer.isAlive()) {
                trimPreallocation();
            }
            active.close();
        } catch (IOException ignored) {
            // Closing after a final force; nothing left to lose.
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // The OS drops the lock with the process anyway.
        }
    }
}
