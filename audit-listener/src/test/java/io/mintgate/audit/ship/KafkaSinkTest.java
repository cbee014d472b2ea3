package io.mintgate.audit.ship;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.audit.AuditOptions;
import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.chain.ChainId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** No broker here (the real-broker test belongs to the integration suite): this covers the key and the failure path. */
class KafkaSinkTest {
    @TempDir
    Path dir;

    @Test
    void everyRecordIsKeyedByTheChainIdSoOneChainStaysInOnePartition() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        KafkaSink.Settings kafka = new KafkaSink.Settings("127.0.0.1:" + deadPort, "audit", "none", Map.of());
        try (KafkaSink sink = new KafkaSink(kafka, new ChainId("node-a"))) {
            assertThat(new String(sink.key(), StandardCharsets.UTF_8)).isEqualTo("node-a");
        }
    }

    @Test
    void anUnreachableBrokerCountsFailuresAndKeepsEveryRecordInTheSpool() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        KafkaSink.Settings kafka = new KafkaSink.Settings("127.0.0.1:" + deadPort, "audit", "gzip",
                Map.of("max.block.ms", "300", "reconnect.backoff.max.ms", "200"));
        AuditOptions options = TestRecords.options(dir).toBuilder().sinks(kafka).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AuditPipeline pipeline = AuditPipeline.start(options, registry)) {
            for (int i = 0; i < 5; i++) {
                pipeline.append(TestRecords.issued("c"));
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (registry.get("mintgate_audit_ship_failures_total").tag("sink", "kafka").counter().count() < 1
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(registry.get("mintgate_audit_ship_failures_total").tag("sink", "kafka").counter().count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(pipeline.spool().depth("kafka")).isEqualTo(5);
            assertThat(pipeline.spool().cursor("kafka")).isZero();
        }
    }
}
