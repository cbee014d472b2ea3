package io.mintgate.audit.spool;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.chain.ChainId;
import io.mintgate.audit.chain.CheckpointKeys;
import io.mintgate.audit.chain.CheckpointSigner;
import io.mintgate.audit.metrics.AuditMetrics;
import io.mintgate.audit.record.RecordJson;
import io.mintgate.audit.record.RecordType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpoolTest {
    @TempDir
    Path dir;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private SpoolOptions options() {
        return SpoolOptions.defaults(dir, List.of("file")).withCheckpoints(0, 0);
    }

    private Spool open(SpoolOptions o) throws IOException {
        return Spool.open(o, null, new AuditMetrics(registry));
    }

    private static List<SpoolEntry> readAll(Spool spool, long after) throws IOException {
        try (SpoolReader reader = spool.reader("file")) {
            List<SpoolEntry> all = new ArrayList<>();
            for (List<SpoolEntry> batch; !(batch = reader.read(after, 1000, Long.MAX_VALUE)).isEmpty(); ) {
                all.addAll(batch);
                after = batch.get(batch.size() - 1).seq();
            }
            return all;
        }
    }

    @Test
    void manyConcurrentAppendsAreWrittenInOrderWithFarFewerFsyncsThanRecords() throws Exception {
        try (Spool spool = open(options().withGuarantee(Guarantee.BEFORE_RESPONSE))) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 250; i++) {
                        spool.appendDurably(TestRecords.issued("c"));
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            List<SpoolEntry> entries = readAll(spool, 0);
            assertThat(entries).hasSize(2000);
            for (int i = 0; i < entries.size(); i++) {
                assertThat(entries.get(i).seq()).isEqualTo(i + 1);
                assertThat(RecordJson.parse(entries.get(i).payload()).path("mintgateseq").asLong()).isEqualTo(i + 1);
            }
            assertThat(spool.forceCount()).isLessThan(2000);
        }
    }

    @Test
    void underBeforeResponseEachAppendReturnsOnlyOnceItsRecordIsFsynced() throws Exception {
        try (Spool spool = open(options())) {
            assertThat(spool.options().guarantee()).as("the default").isEqualTo(Guarantee.BEFORE_RESPONSE);
            for (int i = 1; i <= 20; i++) {
                spool.appendDurably(TestRecords.issued("c"));
                assertThat(spool.durableSeq()).isGreaterThanOrEqualTo(i);
            }
            spool.appendAllDurably(List.of(TestRecords.issued("a"), TestRecords.issued("b"), TestRecords.issued("c")));
            assertThat(spool.durableSeq()).isEqualTo(23);
        }
    }

    @Test
    void underAsyncAnAppendOnlyHandsOffAndTheRecordIsFsyncedLater() throws Exception {
        try (Spool spool = open(options().withGuarantee(Guarantee.ASYNC))) {
            spool.appendDurably(TestRecords.issued("c"));
            assertThat(spool.awaitDurableAfter(0, 5000)).isTrue();
            assertThat(spool.durableSeq()).isEqualTo(1);
        }
    }

    @Test
    void waitersForDifferentDurableRecordsEachReturnWhenTheirOwnIsOnDisk() throws Exception {
        try (Spool spool = open(options().withGuarantee(Guarantee.BEFORE_RESPONSE))) {
            CompletableFuture<Boolean> near = CompletableFuture.supplyAsync(() -> awaitAfter(spool, 2));
            CompletableFuture<Boolean> far = CompletableFuture.supplyAsync(() -> awaitAfter(spool, 9));
            for (int i = 1; i <= 5; i++) {
                spool.appendDurably(TestRecords.issued("c"));
            }
            assertThat(near.get()).as("record 3 is durable").isTrue();
            assertThat(far.isDone()).as("record 10 is not written yet").isFalse();
            for (int i = 6; i <= 10; i++) {
                spool.appendDurably(TestRecords.issued("c"));
            }
            assertThat(far.get()).as("record 10 is durable").isTrue();
            assertThat(spool.awaitDurableAfter(10, 50)).as("nothing after record 10").isFalse();
        }
    }

    private static boolean awaitAfter(Spool spool, long seq) {
        try {
            return spool.awaitDurableAfter(seq, 10_000);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anAppendAfterTheSpoolStoppedFailsAtOnceInsteadOfWaiting() throws Exception {
        Spool spool = open(options().withGuarantee(Guarantee.BEFORE_RESPONSE));
        spool.halt();
        assertThatThrownBy(() -> spool.appendDurably(TestRecords.issued("c")))
                .isInstanceOf(AuditUnavailableException.class).hasMessageContaining("closed");
    }

    @Test
    void aTornLastEntryIsCutOnRestartAndTheChainContinuesFromTheLastGoodRecord() throws Exception {
        Spool spool = open(options());
        for (int i = 0; i < 10; i++) {
            spool.append(TestRecords.issued("c"));
        }
        assertThat(spool.awaitSettled(5000)).isTrue();
        spool.halt();
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(p -> p.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
        }
        long goodSize = endOfRecords(segment);
        assertThat(Files.size(segment)).as("zero-filled ahead of the records").isGreaterThan(goodSize);
        // Half a frame in the zero-filled part, as left by kill -9 in the middle of a write.
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 11, 9, 9}), goodSize);
        }

        try (Spool reopened = open(options())) {
            assertThat(Files.size(segment)).isEqualTo(goodSize);
            reopened.append(TestRecords.issued("after-restart"));
            assertThat(reopened.awaitSettled(5000)).isTrue();
            List<SpoolEntry> entries = readAll(reopened, 0);
            assertThat(entries).extracting(SpoolEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
            String prevOf11 = RecordJson.parse(entries.get(10).payload()).path("mintgateprev").asText();
            String hashOf10 = RecordJson.parse(entries.get(9).payload()).path("mintgatehash").asText();
            assertThat(prevOf11).isEqualTo(hashOf10);
        }
    }

    @Test
    void aClientThatWaitsForEachAnswerIsNeverHeldForACommitWindow() throws Exception {
        // A window far longer than the wait's timeout: one held batch would fail the append.
        try (Spool spool = open(options().withGuarantee(Guarantee.BEFORE_RESPONSE).withCommitWindowMs(10_000))) {
            for (int i = 0; i < 50; i++) {
                spool.appendAllDurably(List.of(TestRecords.issued("c"), TestRecords.issued("c")));
            }
            assertThat(spool.windowsWaited()).isZero();
            assertThat(spool.durableSeq()).isEqualTo(100);
        }
    }

    @Test
    void overlappingRequestsGatherForTheCommitWindowAndShareTheirFsyncs() throws Exception {
        try (Spool spool = open(options().withGuarantee(Guarantee.BEFORE_RESPONSE).withCommitWindowMs(20))) {
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                clients.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 40; i++) {
                        spool.appendDurably(TestRecords.issued("c"));
                    }
                }, runnable -> new Thread(runnable).start()));
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();
            assertThat(spool.durableSeq()).isEqualTo(320);
            assertThat(spool.windowsWaited()).isPositive();
            assertThat(spool.forceCount()).isLessThan(320 / 4);
        }
    }

    @Test
    void whileCpuIsScarceOverlappingRequestsGatherForTheBusyWindow() throws Exception {
        assertThat(windowsOfEightClients(true)).as("busy windows while CPU is scarce").isPositive();
        assertThat(windowsOfEightClients(false)).as("busy windows while CPU is plentiful").isZero();
    }

    /** Eight concurrent clients without a normal window, a 20 ms busy one; the busy windows the writer waited. */
    private long windowsOfEightClients(boolean scarce) throws Exception {
        long[] now = {0};
        // A machine as busy as told, sampled on every ask (the clock moves a whole period per call).
        CpuSaturation cpu = new CpuSaturation(() -> 0L, () -> scarce ? 1.0 : 0.0,
                () -> now[0] += CpuSaturation.PERIOD_NANOS, 2);
        SpoolOptions o = SpoolOptions.defaults(dir.resolve(scarce ? "scarce" : "plentiful"), List.of("file"))
                .withCheckpoints(0, 0).withGuarantee(Guarantee.BEFORE_RESPONSE).withCommitWindowMs(0)
                .withBusyCommitWindowMs(20);
        try (Spool spool = Spool.open(o, null, new AuditMetrics(new SimpleMeterRegistry()), cpu)) {
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                clients.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 40; i++) {
                        spool.appendDurably(TestRecords.issued("c"));
                    }
                }, runnable -> new Thread(runnable).start()));
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();
            assertThat(spool.durableSeq()).isEqualTo(320);
            assertThat(spool.windowsWaited()).isEqualTo(spool.busyWindowsWaited());
            return spool.busyWindowsWaited();
        }
    }

    @Test
    void theZeroFilledTailACrashLeavesIsTheEndOfTheDataAndACleanCloseTrimsIt() throws Exception {
        Spool spool = open(options().withGuarantee(Guarantee.BEFORE_RESPONSE));
        for (int i = 0; i < 5; i++) {
            spool.appendDurably(TestRecords.issued("c"));
        }
        spool.halt();
        Path segment = onlySegment();
        long end = endOfRecords(segment);
        assertThat(Files.size(segment)).isGreaterThan(end);

        try (Spool reopened = open(options().withGuarantee(Guarantee.BEFORE_RESPONSE))) {
            assertThat(Files.size(segment)).as("the zeros after the last record are trimmed").isEqualTo(end);
            reopened.appendDurably(TestRecords.issued("after-restart"));
            assertThat(readAll(reopened, 0)).extracting(SpoolEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        }
        assertThat(Files.size(segment)).as("a clean close leaves no zeros").isEqualTo(endOfRecords(segment));
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
        }
    }

    /** Where the segment's last whole frame ends (the file may be zero-filled beyond it). */
    private static long endOfRecords(Path segment) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            FrameReader frames = new FrameReader(ch, 0);
            while (frames.next(Long.MAX_VALUE) != null) {
                // read to the end
            }
            return frames.position();
        }
    }

    @Test
    void aCrashedSpoolSignsItsRecoveredTailOnRestartWithoutWaitingForNewRecords() throws Exception {
        CheckpointSigner signer = new CheckpointSigner(CheckpointKeys.generate());
        SpoolOptions o = options().withCheckpoints(4, 0);
        Spool spool = Spool.open(o, signer, new AuditMetrics(registry));
        for (int i = 0; i < 6; i++) {
            spool.append(TestRecords.issued("c"));
        }
        assertThat(spool.awaitSettled(5000)).isTrue();
        spool.halt(); // seq 1-4, checkpoint 5, seq 6-7: two records no checkpoint covers

        try (Spool reopened = Spool.open(o, signer, new AuditMetrics(registry))) {
            assertThat(reopened.durableSeq()).as("a checkpoint written and fsynced at open").isEqualTo(8);
            List<SpoolEntry> entries = readAll(reopened, 0);
            JsonNode last = RecordJson.parse(entries.get(entries.size() - 1).payload());
            assertThat(last.path("type").asText()).isEqualTo(RecordType.CHECKPOINT);
            assertThat(last.at("/data/seq").asLong()).isEqualTo(7);
            assertThat(last.at("/data/count").asLong()).as("the records after the checkpoint at seq 5").isEqualTo(2);
            assertThat(last.at("/data/hash").asText())
                    .isEqualTo(RecordJson.parse(entries.get(6).payload()).path(RecordJson.EXT_HASH).asText());
            assertThat(last.at("/data/chain").asText()).isEqualTo(reopened.chainId().value());
        }
    }

    @Test
    void aSpoolWhoseLastRecordIsACheckpointGetsNoSecondOneOnRestart() throws Exception {
        CheckpointSigner signer = new CheckpointSigner(CheckpointKeys.generate());
        SpoolOptions o = options().withCheckpoints(3, 0);
        Spool spool = Spool.open(o, signer, new AuditMetrics(registry));
        for (int i = 0; i < 3; i++) {
            spool.append(TestRecords.issued("c"));
        }
        assertThat(spool.awaitSettled(5000)).isTrue();
        spool.halt(); // seq 1-3, checkpoint 4

        try (Spool reopened = Spool.open(o, signer, new AuditMetrics(registry))) {
            assertThat(reopened.durableSeq()).isEqualTo(4);
        }
    }

    @Test
    void theChainIdIsCreatedOnceAndKeptAcrossRestarts() throws Exception {
        String first;
        try (Spool spool = open(options())) {
            first = spool.chainId().value();
            spool.append(TestRecords.issued("c"));
            assertThat(spool.awaitSettled(5000)).isTrue();
            assertThat(RecordJson.parse(readAll(spool, 0).get(0).payload()).path(RecordJson.EXT_CHAIN).asText())
                    .isEqualTo(first);
        }
        assertThat(Files.readString(dir.resolve(ChainId.FILE)).strip()).isEqualTo(first);
        try (Spool reopened = open(options())) {
            assertThat(reopened.chainId().value()).isEqualTo(first);
        }
    }

    @Test
    void aConfiguredChainIdNamesANewSpoolAndMayNotRenameAnExistingOne() throws Exception {
        try (Spool spool = open(options().withChainId("kc-node-a"))) {
            assertThat(spool.chainId().value()).isEqualTo("kc-node-a");
        }
        try (Spool same = open(options().withChainId("kc-node-a"))) {
            assertThat(same.chainId().value()).isEqualTo("kc-node-a");
        }
        assertThatThrownBy(() -> open(options().withChainId("kc-node-b")))
                .isInstanceOf(IOException.class).hasMessageContaining("holds chain 'kc-node-a'")
                .hasMessageContaining("'kc-node-b'");
        assertThatThrownBy(() -> open(options().withChainId("node a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("option chain-id");
    }

    @Test
    void aCursorSurvivesACrashSoOnlyUnshippedRecordsAreReadAgain() throws Exception {
        Spool spool = open(options());
        for (int i = 0; i < 20; i++) {
            spool.append(TestRecords.issued("c"));
        }
        assertThat(spool.awaitSettled(5000)).isTrue();
        spool.acknowledge("file", 12);
        spool.halt();

        try (Spool reopened = open(options())) {
            assertThat(reopened.cursor("file")).isEqualTo(12);
            assertThat(readAll(reopened, reopened.cursor("file"))).extracting(SpoolEntry::seq)
                    .containsExactly(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
        }
    }

    @Test
    void failClosedRefusesNewAppendsOnceTheUnshippedLimitIsReached() throws Exception {
        try (Spool spool = open(options().withLimits(1L << 30, 5, FullPolicy.FAIL_CLOSED, 1 << 20))) {
            for (int i = 0; i < 5; i++) {
                spool.append(TestRecords.issued("c"));
            }
            assertThat(spool.awaitSettled(5000)).isTrue();
            // the writer refreshes its usage figures on its next wake-up: poll for the refusal
            AuditUnavailableException refused = awaitRefusal(spool);
            assertThat(refused).hasMessageContaining("full-policy=fail-closed");
            spool.acknowledge("file", 5);
            CompletableFuture<Void> accepted = awaitAcceptance(spool);
            accepted.get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void dropOldestDeletesWholeOldSegmentsCountsThemAndMovesTheCursorPastThem() throws Exception {
        try (Spool spool = open(options().withLimits(40_000, 1_000_000, FullPolicy.DROP_OLDEST, 4096))) {
            for (int i = 0; i < 200; i++) {
                spool.append(TestRecords.issued("c"));
            }
            assertThat(spool.awaitSettled(5000)).isTrue();
            // The writer drops on its own wake-ups, after the fsync that settles the records: wait until the count has
            // stopped moving and the writer has finished its pass (the cursor moves first, then the count).
            double dropped = settledDropCount(spool);
            assertThat(dropped).isGreaterThan(0);
            assertThat(spool.cursor("file")).isEqualTo((long) dropped);
            List<SpoolEntry> left = readAll(spool, spool.cursor("file"));
            assertThat(left.get(0).seq()).isEqualTo((long) dropped + 1);
            assertThat(left.get(left.size() - 1).seq()).isEqualTo(200);
        }
    }

    @Test
    void aCleanlyClosedSpoolAcceptsAndShipsNewRecordsAfterReopening() throws Exception {
        try (Spool spool = open(options())) {
            for (int i = 0; i < 3; i++) {
                spool.append(TestRecords.issued("c"));
            }
            assertThat(spool.awaitSettled(5000)).isTrue();
        }
        try (Spool spool = open(options())) {
            spool.append(TestRecords.issued("c"));
            assertThat(spool.awaitSettled(5000)).isTrue();
            List<SpoolEntry> entries = readAll(spool, 0);
            assertThat(entries).extracting(SpoolEntry::seq).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    private double settledDropCount(Spool spool) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        double previous = -1;
        double current = dropCount();
        while ((current != previous || spool.cursor("file") != (long) current) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            previous = current;
            current = dropCount();
        }
        return current;
    }

    private double dropCount() {
        return registry.get("mintgate_audit_dropped_total").tag("reason", "spool_full").counter().count();
    }

    private static AuditUnavailableException awaitRefusal(Spool spool) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                spool.append(TestRecords.issued("c"));
            } catch (AuditUnavailableException refused) {
                return refused;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the full spool kept accepting records for 10 s");
    }

    private static CompletableFuture<Void> awaitAcceptance(Spool spool) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                return spool.append(TestRecords.issued("c"));
            } catch (AuditUnavailableException stillFull) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the spool stayed full for 10 s after the sink acknowledged");
    }
}
