package io.mintgate.audit.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.audit.AuditOptions;
import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.spool.Guarantee;
import io.mintgate.audit.spool.SpoolOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The lossless path as a token request sees it under {@code guarantee=before-response}: many request threads each
 * append a record and wait until it is on disk (group commit: one write and one fsync per batch). Throughput mode
 * gives durable records/s, sample-time mode the wait per request. The spool has no sink, so only the append, the
 * writer and the wake-up are measured. Each iteration also prints the records per fsync and the CPU per durable
 * record of the path's own threads (the writer and the appending threads, thread CPU time, so the JVM's
 * background threads and other processes on the machine do not count): what the lossless default costs a token
 * endpoint in CPU.
 * Run: {@code java -cp <test classpath> org.openjdk.jmh.Main LosslessAppendBenchmark -f 1 -wi 2 -w 5s -i 3 -r 5s}
 */
@State(Scope.Benchmark)
public class LosslessAppendBenchmark {
    /** Blackhole.consumeCPU tokens for about 2 ms of CPU on the benchmark VM; overridable to calibrate. */
    private static final long TOKEN_WORK = Long.getLong("bench.tokenWork", 400_000);
    private Path dir;
    private AuditPipeline pipeline;
    private AuditRecord record;
    private long pathCpuAtStart;
    private long[] splitAtStart;
    private long durableAtStart;
    private long forcesAtStart;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = Files.createTempDirectory("mintgate-lossless-bench");
        AuditOptions options = AuditOptions.builder(dir).guarantee(Guarantee.BEFORE_RESPONSE)
                .commitWindowMs(Long.getLong("bench.commitWindowMs", SpoolOptions.DEFAULT_COMMIT_WINDOW_MS))
                .busyCommitWindowMs(Long.getLong("bench.busyCommitWindowMs", SpoolOptions.DEFAULT_BUSY_COMMIT_WINDOW_MS))
                .sinks(List.of()).build();
        pipeline = AuditPipeline.start(options, new SimpleMeterRegistry());
        record = TestRecords.issued("bench-client");
    }

    @Setup(Level.Iteration)
    public void mark() {
        pathCpuAtStart = pathCpuNanos();
        splitAtStart = pathCpu();
        durableAtStart = pipeline.spool().durableSeq();
        forcesAtStart = pipeline.spool().forceCount();
    }

    @TearDown(Level.Iteration)
    public void report() {
        long records = pipeline.spool().durableSeq() - durableAtStart;
        long forces = pipeline.spool().forceCount() - forcesAtStart;
        System.out.printf("%n  [lossless] %,d durable records, %.1f records per fsync, %.1f us of writer + appender CPU per record%n",
                records, forces == 0 ? 0.0 : (double) records / forces,
                records == 0 ? 0.0 : (pathCpuNanos() - pathCpuAtStart) / 1e3 / records);
        long[] split = pathCpu();
        double n = Math.max(1, records) * 1e3;
        System.out.printf("  [lossless] writer %.1f us (kernel %.1f), appenders %.1f us (kernel %.1f) per record%n",
                (split[0] - splitAtStart[0]) / n, (split[0] - splitAtStart[0] - split[1] + splitAtStart[1]) / n,
                (split[2] - splitAtStart[2]) / n, (split[2] - splitAtStart[2] - split[3] + splitAtStart[3]) / n);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        pipeline.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One request at a time: one record per fsync, what each write and fsync cycle costs. */
    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void recordsPerSecond1() {
        pipeline.append(record);
    }

    /** About the concurrency of a 2-core token endpoint at ~850 req/s: small batches. */
    @Benchmark
    @Threads(4)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void recordsPerSecond4() {
        pipeline.append(record);
    }

    @Benchmark
    @Threads(16)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void recordsPerSecond16() {
        pipeline.append(record);
    }

    @Benchmark
    @Threads(64)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void recordsPerSecond64() {
        pipeline.append(record);
    }

    /**
     * A token endpoint's shape: 16 connections, each request burning about a token's CPU (~2 ms on the benchmark
     * VM) before its record is appended, so two cores are busy and records arrive at a token endpoint's rate
     * (~800/s) rather than as fast as the spool takes them. The records per fsync and the writer's CPU per record
     * printed here are the regime of the A/B benchmark.
     */
    @Benchmark
    @Threads(16)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void recordsAtTokenEndpointRate16() {
        Blackhole.consumeCPU(TOKEN_WORK);
        pipeline.append(record);
    }

    @Benchmark
    @Threads(16)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void waitPerRequest16() {
        pipeline.append(record);
    }

    @Benchmark
    @Threads(64)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void waitPerRequest64() {
        pipeline.append(record);
    }

    /** CPU time of the spool writer and of JMH's worker threads (the appenders). */
    private static long pathCpuNanos() {
        long[] t = pathCpu();
        return t[0] + t[2];
    }

    /** Writer total and user CPU, appenders total and user CPU (ns); total minus user is time in the kernel. */
    private static long[] pathCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] t = new long[4];
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            int i = info.getThreadName().equals("mintgate-writer") ? 0 : info.getThreadName().contains("jmh-worker") ? 2 : -1;
            if (i >= 0) {
                t[i] += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
                t[i + 1] += Math.max(0, threads.getThreadUserTime(info.getThreadId()));
            }
        }
        return t;
    }
}
