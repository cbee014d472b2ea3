package io.mintgate.audit.ship;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.audit.AuditOptions;
import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.chain.HashChain;
import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.record.CheckpointData;
import io.mintgate.audit.record.RecordEncoder;
import io.mintgate.audit.record.RecordJson;
import io.mintgate.audit.record.RecordType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** No broker here (the real-broker test belongs to the integration suite): this covers keys and the failure path. */
class KafkaSinkTest {
    @TempDir
    Path dir;

    @Test
    void theKafkaKeyIsTheSubjectOrElseTheRealm() {
        byte[] withSubject = RecordJson.toBytes(RecordJson.toTree(TestRecords.issued("c")));
        assertThat(new String(KafkaSink.key(withSubject), StandardCharsets.UTF_8)).isEqualTo("user-1");
        byte[] noSubject = "{\"source\":\"/realms/acme\",\"data\":{\"realm\":\"acme\"}}".getBytes(StandardCharsets.UTF_8);
        assertThat(new String(KafkaSink.key(noSubject), StandardCharsets.UTF_8)).isEqualTo("acme");
    }

    /** The streamed key must be the tree's for the spool writer's own payloads and for any odd shape alike. */
    @Test
    void theStreamedKeyIsTheKeyTheJsonTreeGives() throws Exception {
        List<byte[]> payloads = new java.util.ArrayList<>();
        RecordEncoder encoder = new RecordEncoder();
        AuditRecord issued = TestRecords.issued("c");
        AuditRecord noSubject = new AuditRecord("id-2", issued.type(), issued.source(), issued.time(), null, issued.data());
        AuditRecord emptySubject = new AuditRecord("id-3", issued.type(), issued.source(), issued.time(), "", issued.data());
        AuditRecord checkpoint = new AuditRecord("cp", RecordType.CHECKPOINT, "/mintgate/audit", "t", null,
                new CheckpointData(1, "h", 1, "ES256", "k", "j"));
        for (AuditRecord record : List.of(issued, noSubject, emptySubject, checkpoint)) {
            encoder.canonical(record, 1, HashChain.GENESIS);
            payloads.add(encoder.payload(record, 1, HashChain.GENESIS, HashChain.GENESIS).copy());
            // the writer's own records are read by the streaming parser (it throws where the fallback would be used)
            byte[] payload = payloads.get(payloads.size() - 1);
            assertThat(KafkaSink.streamedKey(payload)).isEqualTo(KafkaSink.keyFromTree(payload));
        }
        for (String json : List.of(
                "{\"source\":\"/realms/acme\",\"data\":{\"realm\":\"acme\"}}",
                "{\"data\":{\"x\":{\"realm\":\"deep\"},\"realm\":\"top\"},\"subject\":\"late\"}",
                "{\"data\":{\"realm\":\"r\"},\"subject\":\"\"}",
                "{\"subject\":null,\"source\":\"s\"}",
                "{\"subject\":7,\"source\":\"s\"}",
                "{\"subject\":{\"a\":1},\"data\":{\"realm\":\"r\"}}",
                "{\"source\":\"s\",\"data\":[1,2]}",
                "{\"source\":\"s\",\"data\":{\"realm\":5}}",
                "{\"source\":\"s\",\"data\":{\"realm\":\"\"}}",
                "{\"source\":[\"s\"]}",
                "{\"data\":{\"realm\":null},\"source\":\"s\"}",
                "{\"other\":{\"subject\":\"nested\"},\"source\":\"s\"}",
                "{}",
                "[1]",
                "\"text\"")) {
            payloads.add(json.getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] payload : payloads) {
            assertThat(new String(KafkaSink.key(payload), StandardCharsets.UTF_8))
                    .as(new String(payload, StandardCharsets.UTF_8))
                    .isEqualTo(KafkaSink.keyFromTree(payload));
        }
    }

    @Test
    void anUnreachableBrokerCountsFailuresAndKeepsEveryRecordInTheSpool() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        KafkaSinkOptions kafka = new KafkaSinkOptions("127.0.0.1:" + deadPort, "audit", "gzip",
                Map.of("max.block.ms", "300", "reconnect.backoff.max.ms", "200"));
        AuditOptions options = TestRecords.options(dir).withSinks(List.of("kafka"), null, kafka);
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
