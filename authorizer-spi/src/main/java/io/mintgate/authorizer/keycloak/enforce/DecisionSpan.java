package io.mintgate.authorizer.keycloak.enforce;

import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.tracing.NoopTracingProvider;
import org.keycloak.tracing.TracingAttributes;
import org.keycloak.tracing.TracingProvider;

/**
 * The {@code mintgate.decision} span around one decision, opened through Keycloak's {@link TracingProvider} as a
 * child of the current span (the token request's, when Keycloak runs with {@code tracing-enabled=true}) and made
 * current, so that PDP calls made while deciding nest under it. It carries what identifies the decision, never a
 * token, secret or request parameter. A deny sets the span's status to ERROR. With tracing off Keycloak's provider
 * is its no-op one: {@link #OFF} is returned and nothing is allocated or recorded.
 */
final class DecisionSpan {

    static final String NAME = "mintgate.decision";
    static final AttributeKey<String> ID = AttributeKey.stringKey("mintgate.decision.id");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("mintgate.decision.outcome");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("mintgate.decision.reason");
    static final AttributeKey<String> RULE = AttributeKey.stringKey("mintgate.decision.rule");
    static final AttributeKey<String> MODE = AttributeKey.stringKey("mintgate.decision.mode");
    static final AttributeKey<String> POLICY_VERSION = AttributeKey.stringKey("mintgate.policy.version");
    static final AttributeKey<String> GRANT_TYPE = AttributeKey.stringKey("mintgate.grant_type");
    static final AttributeKey<String> EVENT = AttributeKey.stringKey("mintgate.event");

    static final DecisionSpan OFF = new DecisionSpan(null, Span.getInvalid());

    private final TracingProvider tracing;
    private final Span span;

    private DecisionSpan(TracingProvider tracing, Span span) {
        this.tracing = tracing;
        this.span = span;
    }

    static DecisionSpan start(KeycloakSession session, IssuanceRequest request) {
        return start(session.getProvider(TracingProvider.class), request);
    }

    static DecisionSpan start(TracingProvider tracing, IssuanceRequest request) {
        if (tracing == null || tracing instanceof NoopTracingProvider) {
            return OFF;
        }
        Span span = tracing.startSpan(DecisionSpan.class.getName(), NAME);
        if (span.isRecording()) {
            span.setAttribute(TracingAttributes.REALM_NAME, request.realm());
            span.setAttribute(TracingAttributes.CLIENT_ID, request.client().clientId());
            span.setAttribute(GRANT_TYPE, request.grant().type());
            span.setAttribute(EVENT, request.event());
        }
        return new DecisionSpan(tracing, span);
    }

    /** Ends the span with the decision taken. */
    void end(Decision decision) {
        if (tracing == null) {
            return;
        }
        try {
            if (span.isRecording()) {
                span.setAttribute(ID, decision.id());
                span.setAttribute(OUTCOME, decision.allowed() ? "allow" : "deny");
                setIfPresent(REASON, decision.reason());
                setIfPresent(RULE, decision.rule());
                setIfPresent(MODE, decision.mode() == null ? null : decision.mode().name().toLowerCase(java.util.Locale.ROOT));
                setIfPresent(POLICY_VERSION, decision.policyVersion());
                if (!decision.allowed()) {
                    span.setStatus(StatusCode.ERROR, "deny: " + decision.reason());
                }
            }
        } finally {
            tracing.endSpan();
        }
    }

    /** Ends the span when deciding threw (no decision): Keycloak records the exception and sets ERROR. */
    void failed(RuntimeException e) {
        if (tracing == null) {
            return;
        }
        try {
            tracing.error(e);
        } finally {
            tracing.endSpan();
        }
    }

    private void setIfPresent(AttributeKey<String> key, String value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }
}
