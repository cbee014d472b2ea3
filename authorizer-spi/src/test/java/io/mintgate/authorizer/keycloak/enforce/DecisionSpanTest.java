package io.mintgate.authorizer.keycloak.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.keycloak.RecordingTracing;
import io.mintgate.authorizer.policy.ClientInfo;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.Mode;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.Outcome;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.keycloak.tracing.NoopTracingProvider;

class DecisionSpanTest {

    private static final IssuanceRequest REQUEST = new IssuanceRequest("acme", Instant.parse("2025-03-04T09:00:00Z"),
            "CLIENT_LOGIN", new Grant("client_credentials", List.of("read"), List.of(), List.of(), null),
            new ClientInfo("c-1", "ci-runner", "client-secret", false, Map.of(), List.of(), List.of("read")),
            null, null, null, null, null, null);

    private static final Decision ALLOW = new Decision("d-allow", Outcome.ALLOW, null, null, null, null,
            "sha256:0123456789abcdef", List.of(), Obligations.NONE);
    private static final Decision DENY = new Decision("d-deny", Outcome.DENY, "client_retired",
            "This client is retired.", "retired-agents", Mode.ENFORCE, "sha256:0123456789abcdef", List.of(),
            Obligations.NONE);

    @Test
    void withKeycloaksTracingOffNothingIsCreated() {
        DecisionSpan span = DecisionSpan.start(new NoopTracingProvider(), REQUEST);
        assertThat(span).isSameAs(DecisionSpan.OFF);
        span.end(DENY); // a no-op: nothing to end
    }

    @Test
    void anAllowNamesTheDecisionTheRealmTheClientAndTheGrant() {
        RecordingTracing tracing = new RecordingTracing();
        DecisionSpan.start(tracing, REQUEST).end(ALLOW);

        SpanData span = tracing.only("mintgate.decision");
        assertThat(span.getAttributes().asMap()).containsEntry(AttributeKey.stringKey("mintgate.decision.id"), "d-allow")
                .containsEntry(AttributeKey.stringKey("mintgate.decision.outcome"), "allow")
                .containsEntry(AttributeKey.stringKey("mintgate.policy.version"), "sha256:0123456789abcdef")
                .containsEntry(AttributeKey.stringKey("mintgate.grant_type"), "client_credentials")
                .containsEntry(AttributeKey.stringKey("mintgate.event"), "CLIENT_LOGIN")
                .containsEntry(AttributeKey.stringKey("kc.realmName"), "acme")
                .containsEntry(AttributeKey.stringKey("kc.clientId"), "ci-runner")
                .doesNotContainKey(AttributeKey.stringKey("mintgate.decision.reason"));
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(tracing.allEnded()).isTrue();
    }

    @Test
    void aDenyIsAnErrorNamingReasonAndRuleButNotTheMessage() {
        RecordingTracing tracing = new RecordingTracing();
        DecisionSpan.start(tracing, REQUEST).end(DENY);

        SpanData span = tracing.only("mintgate.decision");
        assertThat(span.getAttributes().asMap()).containsEntry(AttributeKey.stringKey("mintgate.decision.outcome"), "deny")
                .containsEntry(AttributeKey.stringKey("mintgate.decision.reason"), "client_retired")
                .containsEntry(AttributeKey.stringKey("mintgate.decision.rule"), "retired-agents")
                .containsEntry(AttributeKey.stringKey("mintgate.decision.mode"), "enforce");
        assertThat(span.getAttributes().asMap().values()).noneMatch(v -> String.valueOf(v).contains("retired."));
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).isEqualTo("deny: client_retired");
    }

    @Test
    void aDecisionThatThrowsEndsItsSpanAsAnError() {
        RecordingTracing tracing = new RecordingTracing();
        DecisionSpan span = DecisionSpan.start(tracing, REQUEST);
        IllegalStateException failure = new IllegalStateException("engine broke");
        assertThatThrownBy(() -> {
            try {
                throw failure;
            } catch (RuntimeException e) {
                span.failed(e);
                throw e;
            }
        }).isSameAs(failure);

        SpanData ended = tracing.only("mintgate.decision");
        assertThat(ended.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(ended.getEvents()).anyMatch(e -> e.getName().equals("exception"));
        assertThat(tracing.allEnded()).isTrue();
    }
}
