package io.mintgate.audit.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.audit.AuditOptions;
import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.ship.KafkaSink;

/**
 * Sustained shipper throughput, end to end: N records handed to the pipeline (spool with group commit, hash chain,
 * checkpoints), and the clock stops when the sink has acknowledged all of them. Not a JMH benchmark: what is
 * measured is a background pipeline draining, not a call.
 *
 * <pre>java -cp ... io.mintgate.audit.bench.ShipperThroughput file 50000
 * java -cp ... io.mintgate.audit.bench.ShipperThroughput kafka 50000 127.0.0.1:9092</pre>
 */
public final class ShipperThroughput {

    private ShipperThroughput() {
    }

    public static void main(String[] args) throws Exception {
        String sink = args.length > 0 ? args[0] : "file";
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        Path dir = Files.createTempDirectory("mintgate-shipper-bench");
        AuditOptions options = AuditOptions.defaults(dir);
        if ("kafka".equals(sink)) {
            options = options.toBuilder().sinks(
                    new KafkaSink.Settings(args[2], "mintgate-bench-" + System.nanoTime(), "none", Map.of())).build();
        }
        for (int round = 1; round <= 3; round++) {
            List<AuditRecord> batch = new ArrayList<>(records);
            for (int i = 0; i < records; i++) {
                batch.add(TestRecords.issued("bench-client"));
            }
            try (AuditPipeline pipeline = AuditPipeline.start(options, new SimpleMeterRegistry())) {
                long start = System.nanoTime();
                List<CompletableFuture<Void>> appended = new ArrayList<>(records);
                for (AuditRecord record : batch) {
                    appended.add(pipeline.appendAsync(record));
                }
                CompletableFuture.allOf(appended.toArray(CompletableFuture[]::new)).join();
                if (!pipeline.awaitShipped(300_000)) {
                    throw new IllegalStateException("the " + sink + " sink did not receive all records within 5 minutes");
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("round %d: %s sink, %d records shipped in %.2f s = %,.0f records/s%n",
                        round, sink, records, seconds, records / seconds);
            }
        }
    }
}
