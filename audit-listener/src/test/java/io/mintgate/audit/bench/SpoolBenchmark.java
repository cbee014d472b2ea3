package io.mintgate.audit.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.audit.AuditOptions;
import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.spool.Guarantee;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Two figures that matter for Keycloak:
 * <ul>
 *   <li>{@code handOff}: what the request thread pays per record under guarantee=async (a bounded-queue offer;
 *       includes back-pressure whenever the writer falls behind);</li>
 *   <li>{@code sustainedSpoolToFileSink}: records/s through the whole path (queue, chain, group-committed fsync,
 *       shipper, fsynced file sink) - each invocation appends a block and waits until the file sink has it.</li>
 * </ul>
 * Run: {@code java -cp <test classpath> org.openjdk.jmh.Main SpoolBenchmark -f 1 -wi 2 -i 5}
 */
@State(Scope.Benchmark)
public class SpoolBenchmark {
    private static final int BLOCK = 20_000;

    private Path dir;
    private AuditPipeline pipeline;
    private AuditRecord record;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = Files.createTempDirectory("mintgate-spool-bench");
        // The async hand-off is what these two figures are about; LosslessAppendBenchmark measures before-response.
        AuditOptions options = AuditOptions.builder(dir).guarantee(Guarantee.ASYNC).backoff(10, 200).build();
        pipeline = AuditPipeline.start(options, new SimpleMeterRegistry());
        record = TestRecords.issued("bench-client");
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        pipeline.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Sampled, so the percentiles separate the plain offer (p50) from back-pressure waits (p99+). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object handOff() {
        return pipeline.appendAsync(record);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BLOCK)
    public boolean sustainedSpoolToFileSink() throws InterruptedException {
        for (int i = 0; i < BLOCK; i++) {
            pipeline.appendAsync(record);
        }
        return pipeline.awaitShipped(120_000);
    }
}
