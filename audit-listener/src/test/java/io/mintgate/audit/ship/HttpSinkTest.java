package io.mintgate.audit.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.audit.AuditOptions;
import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.format.RecordFormat;
import io.mintgate.audit.record.RecordJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class HttpSinkTest {
    private static final String SECRET = "hmac-test-secret";

    @TempDir
    Path dir;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFirst = new AtomicInteger(1);

    @BeforeEach
    void startReceiver() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/events", exchange -> {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst("X-Mintgate-Signature");
            if (!("sha256=" + HttpSink.hmacHex(SECRET, body)).equals(signature)) {
                problems.add("bad signature " + signature);
            }
            if (!"Bearer collector-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                problems.add("missing bearer");
            }
            if (!"application/cloudevents-batch+json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                problems.add("content type");
            }
            int status;
            if (failFirst.getAndDecrement() > 0) {
                status = 500;
            } else {
                RecordJson.parse(body).forEach(received::add);
                status = 202;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void batchesAreRetriedAfterA500AndArriveSignedInOrderExactlyAsSpooled() throws Exception {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
        AuditOptions options = TestRecords.options(dir).toBuilder().sinks(
                new HttpSink.Settings(url, "collector-token", SECRET, null, null, null, null, 5000, RecordFormat.JSON)).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AuditPipeline pipeline = AuditPipeline.start(options, registry)) {
            for (int i = 0; i < 300; i++) {
                pipeline.append(TestRecords.issued("client-" + i));
            }
            assertThat(pipeline.awaitShipped(15_000)).isTrue();
            assertThat(registry.get("mintgate_audit_ship_failures_total").tag("sink", "http").counter().count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(registry.get("mintgate_audit_shipped_total").tag("sink", "http").counter().count())
                    .isEqualTo(300);
            assertThat(registry.get("mintgate_audit_spool_depth").tag("sink", "http").gauge().value()).isZero();
        }
        assertThat(problems).isEmpty();
        assertThat(received).hasSize(300);
        for (int i = 0; i < 300; i++) {
            assertThat(received.get(i).path("mintgateseq").asLong()).isEqualTo(i + 1);
            assertThat(received.get(i).path("data").path("clientId").asText()).isEqualTo("client-" + i);
        }
        assertThat(requests.get()).isLessThan(300 + 1); // batched, not one request per record
    }
}
