package io.mintgate.audit.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.spool.AuditUnavailableException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keycloak.tracing.NoopTracingProvider;

class AppendSpanTest {

    @TempDir
    Path dir;

    @Test
    void withKeycloaksTracingOffTheRecordsAreAppendedAsWithoutIt() throws Exception {
        try (AuditPipeline pipeline = AuditPipeline.start(TestRecords.options(dir), new SimpleMeterRegistry())) {
            AppendSpan.appendAll(new NoopTracingProvider(), pipeline, List.of(TestRecords.issued("ci-runner")));
            assertThat(pipeline.spool().awaitSettled(5_000)).isTrue();
        }
        assertThat(java.nio.file.Files.readString(dir.resolve("audit.jsonl"))).contains("\"clientId\":\"ci-runner\"");
    }

    @Test
    void theAppendIsASpanWithTheRecordCountTheGuaranteeAndTheDecisionId() throws Exception {
        RecordingTracing tracing = new RecordingTracing();
        try (AuditPipeline pipeline = AuditPipeline.start(TestRecords.options(dir), new SimpleMeterRegistry())) {
            AppendSpan.appendAll(tracing, pipeline, List.of(TestRecords.denied(), TestRecords.issued("ci-runner")));
        }
        SpanData span = tracing.only("mintgate.audit.append");
        assertThat(span.getAttributes().asMap()).containsEntry(AttributeKey.longKey("mintgate.audit.records"), 2L)
                .containsEntry(AttributeKey.stringKey("mintgate.audit.guarantee"), "before-response")
                .containsEntry(AttributeKey.stringKey("mintgate.decision.id"), "d-2");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(tracing.allEnded()).isTrue();
    }

    @Test
    void aRefusedAppendIsAnErrorAndStillFailsTheRequest() throws Exception {
        RecordingTracing tracing = new RecordingTracing();
        AuditPipeline pipeline = AuditPipeline.start(TestRecords.options(dir), new SimpleMeterRegistry());
        pipeline.close();
        assertThatThrownBy(() -> AppendSpan.appendAll(tracing, pipeline, List.of(TestRecords.issued("ci-runner"))))
                .isInstanceOf(AuditUnavailableException.class);

        SpanData span = tracing.only("mintgate.audit.append");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).contains("is closed");
        assertThat(tracing.allEnded()).isTrue();
    }
}
