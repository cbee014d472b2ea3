package io.mintgate.audit.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.audit.AuditOptions;
import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.format.RecordFormat;
import io.mintgate.audit.ship.FileSink;
import io.mintgate.audit.ship.HttpSink;
import io.mintgate.audit.spool.FullPolicy;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.Index;
import org.jboss.jandex.IndexReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the {@code mintgate-audit} readiness check reports, on real pipelines with a working and a failing sink. */
class AuditHealthTest {

    @TempDir
    Path dir;

    @Test
    void aWorkingPipelineIsUpAndShowsItsFillLevelAndEachSinksLastSuccess() throws Exception {
        AuditOptions options = TestRecords.options(dir).toBuilder()
                .sinks(new FileSink.Settings(dir.resolve("out.jsonl"), 1 << 20, RecordFormat.JSON)).build();
        try (AuditPipeline pipeline = AuditPipeline.start(options, new SimpleMeterRegistry())) {
            AuditHealth.Report fresh = AuditHealth.of(pipeline, System.currentTimeMillis());
            assertThat(fresh.up()).isTrue();
            assertThat(fresh.data()).containsEntry("spool-writable", true).containsEntry("sink.file.last-success", "never")
                    .containsEntry("sink.file.backlog", 0L).containsEntry("full-policy", "fail-closed")
                    .containsEntry("spool-limit-records", options.spoolOptions().maxRecords())
                    .doesNotContainKey("problem").doesNotContainKey("sink.file.failing-seconds");

            pipeline.append(TestRecords.issued("client-1"));
            assertThat(pipeline.awaitShipped(10_000)).isTrue();
            AuditHealth.Report shipped = AuditHealth.of(pipeline, System.currentTimeMillis());
            assertThat(shipped.up()).isTrue();
            assertThat((String) shipped.data().get("sink.file.last-success")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(shipped.data()).containsEntry("sink.file.last-failure", "never");
        }
    }

    @Test
    void aFailingSinkKeepsTheNodeReadyAndSaysSinceWhenAndWhatFails() throws Exception {
        AuditOptions options = TestRecords.options(dir).toBuilder()
                .sinks(new HttpSink.Settings(closedPort(), null, null, null, null, null, null, 500, RecordFormat.JSON))
                .build();
        try (AuditPipeline pipeline = AuditPipeline.start(options, new SimpleMeterRegistry())) {
            pipeline.append(TestRecords.issued("client-1"));
            AuditHealth.Report report = awaitFailure(pipeline);
            assertThat(report.up()).isTrue();
            assertThat(report.data()).containsEntry("sink.http.backlog", 1L).containsEntry("sink.http.last-success", "never")
                    .containsKey("sink.http.failing-seconds").doesNotContainKey("problem");
            assertThat((String) report.data().get("sink.http.last-error")).isNotBlank().doesNotContain("127.0.0.1");
        }
    }

    @Test
    void aFullSpoolUnderFailClosedIsDownAndUnderDropOldestUp() throws Exception {
        for (FullPolicy policy : new FullPolicy[] {FullPolicy.FAIL_CLOSED, FullPolicy.DROP_OLDEST}) {
            Path spool = Files.createDirectories(dir.resolve(policy.name()));
            AuditOptions options = TestRecords.options(spool).toBuilder().spoolLimits(1 << 20, 2, policy)
                    .sinks(new HttpSink.Settings(closedPort(), null, null, null, null, null, null, 500, RecordFormat.JSON))
                    .build();
            try (AuditPipeline pipeline = AuditPipeline.start(options, new SimpleMeterRegistry())) {
                pipeline.append(TestRecords.issued("client-1"));
                pipeline.append(TestRecords.issued("client-2"));
                AuditHealth.Report report = AuditHealth.of(pipeline, System.currentTimeMillis());
                assertThat(report.data()).as(policy.name()).containsEntry("spool-records", 2L)
                        .containsEntry("spool-fill-percent", 100L);
                if (policy == FullPolicy.FAIL_CLOSED) {
                    assertThat(report.up()).isFalse();
                    assertThat((String) report.data().get("problem")).contains("full-policy=fail-closed");
                } else {
                    assertThat(report.up()).isTrue();
                }
            }
        }
    }

    @Test
    void noPipelineIsDown() {
        AuditHealth.Report report = AuditHealth.of(null, 0);
        assertThat(report.up()).isFalse();
        assertThat(report.data()).containsEntry("problem", "the audit pipeline is not running");
    }

    @Test
    void theFillLevelIsTheFullerOfTheTwoLimits() {
        assertThat(AuditHealth.fillPercent(50, 100, 1, 1000)).isEqualTo(50);
        assertThat(AuditHealth.fillPercent(1, 100, 999, 1000)).isEqualTo(99);
        assertThat(AuditHealth.fillPercent(0, 0, 0, 0)).isZero();
    }

    /** The jar's bean index makes Keycloak's build find the readiness check: it must list that class and no other. */
    @Test
    void theBeanIndexListsOnlyTheReadinessCheck() throws Exception {
        Index index;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/jandex.idx"))) {
            index = new IndexReader(in).read();
        }
        assertThat(index.getKnownClasses()).extracting(ClassInfo::name).extracting(Object::toString)
                .containsExactly(MintgateAuditReadiness.class.getName());
        assertThat(index.getAnnotations(org.jboss.jandex.DotName.createSimple(
                "org.eclipse.microprofile.health.Readiness"))).hasSize(1);
    }

    private static AuditHealth.Report awaitFailure(AuditPipeline pipeline) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            AuditHealth.Report report = AuditHealth.of(pipeline, System.currentTimeMillis());
            if (!"never".equals(report.data().get("sink.http.last-failure")) || System.currentTimeMillis() > deadline) {
                return report;
            }
            Thread.sleep(20);
        }
    }

    private static URI closedPort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port + "/events");
    }
}
