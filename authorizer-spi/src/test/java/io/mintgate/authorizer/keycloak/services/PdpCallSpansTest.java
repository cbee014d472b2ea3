package io.mintgate.authorizer.keycloak.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;

import io.mintgate.authorizer.authzen.PdpCallTracer;
import io.mintgate.authorizer.keycloak.RecordingTracing;
import io.mintgate.authorizer.policy.PolicyEvaluationException;
import io.mintgate.authorizer.policy.authzen.AuthzenAnswer;
import io.mintgate.authorizer.policy.authzen.AuthzenQuery;
import io.mintgate.authorizer.policy.authzen.PdpAuth;
import io.mintgate.authorizer.policy.authzen.PdpConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.keycloak.tracing.NoopTracingProvider;

class PdpCallSpansTest {

    private static final PdpConfig PDP = new PdpConfig("cerbos", URI.create("https://pdp.example:8443/authzen?tenant=a"),
            Duration.ofSeconds(1), Duration.ofSeconds(30), 100, 5, Duration.ofSeconds(30), new PdpAuth.Bearer("s3cret"));
    private static final AuthzenQuery BATCH = new AuthzenQuery(PDP, "{\"evaluations\":[{},{}]}", 2);

    @Test
    void withKeycloaksTracingOffCallsAreNotWrapped() {
        assertThat(PdpCallSpans.of(new NoopTracingProvider())).isSameAs(PdpCallTracer.NONE);
        assertThat(PdpCallSpans.of(null)).isSameAs(PdpCallTracer.NONE);
    }

    @Test
    void aCallIsAClientSpanUnderTheCurrentSpanNamingThePdpAndItsAnswer() {
        RecordingTracing tracing = new RecordingTracing();
        tracing.trace("test", "mintgate.decision", parent -> {
            AuthzenAnswer answer = PdpCallSpans.of(tracing).around(PDP, BATCH,
                    () -> new AuthzenAnswer(new boolean[] {true, false}));
            assertThat(answer.decisions()).containsExactly(true, false);
        });

        SpanData pdp = tracing.only("mintgate.pdp");
        assertThat(pdp.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(pdp.getParentSpanId()).isEqualTo(tracing.only("mintgate.decision").getSpanId());
        assertThat(pdp.getAttributes().asMap()).containsEntry(AttributeKey.stringKey("mintgate.pdp.name"), "cerbos")
                .containsEntry(AttributeKey.stringKey("server.address"), "pdp.example")
                .containsEntry(AttributeKey.longKey("server.port"), 8443L)
                .containsEntry(AttributeKey.longKey("mintgate.pdp.evaluations"), 2L)
                .containsEntry(AttributeKey.stringKey("mintgate.pdp.decision"), "deny");
        assertThat(pdp.getAttributes().asMap().values()).noneMatch(v -> String.valueOf(v).contains("tenant")
                || String.valueOf(v).contains("s3cret") || String.valueOf(v).contains("evaluations"));
        assertThat(pdp.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void aFailedCallIsAnErrorAndTheFailureReachesTheRule() {
        RecordingTracing tracing = new RecordingTracing();
        PolicyEvaluationException failure = new PolicyEvaluationException("authzen pdp 'cerbos': evaluation timed out", null);
        assertThatThrownBy(() -> PdpCallSpans.of(tracing).around(PDP, BATCH, () -> {
            throw failure;
        })).isSameAs(failure);

        SpanData pdp = tracing.only("mintgate.pdp");
        assertThat(pdp.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(pdp.getStatus().getDescription()).isEqualTo("authzen pdp 'cerbos': evaluation timed out");
        assertThat(pdp.getAttributes().asMap()).doesNotContainKey(AttributeKey.stringKey("mintgate.pdp.decision"));
        assertThat(tracing.allEnded()).isTrue();
    }
}
