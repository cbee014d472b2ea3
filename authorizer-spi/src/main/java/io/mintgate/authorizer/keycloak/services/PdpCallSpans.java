package io.mintgate.authorizer.keycloak.services;

import java.util.function.Supplier;

import io.mintgate.authorizer.authzen.PdpCallTracer;
import io.mintgate.authorizer.policy.authzen.AuthzenAnswer;
import io.mintgate.authorizer.policy.authzen.AuthzenQuery;
import io.mintgate.authorizer.policy.authzen.PdpConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import org.keycloak.tracing.NoopTracingProvider;
import org.keycloak.tracing.TracingProvider;

/**
 * A {@code mintgate.pdp} span (kind CLIENT) around each call to an AuthZEN PDP, through Keycloak's
 * {@link TracingProvider}: a child of the current span, which is the decision's. It names the PDP and its host and
 * port (never the path's query, a header or a body, which may carry credentials), how many evaluations were asked
 * and what the PDP answered; a failed call (timeout, refused connection, bad answer) sets ERROR with the failure's
 * text, which names the PDP and the kind of failure only.
 */
final class PdpCallSpans implements PdpCallTracer {

    static final String NAME = "mintgate.pdp";
    static final AttributeKey<String> PDP = AttributeKey.stringKey("mintgate.pdp.name");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<Long> EVALUATIONS = AttributeKey.longKey("mintgate.pdp.evaluations");
    static final AttributeKey<String> DECISION = AttributeKey.stringKey("mintgate.pdp.decision");

    private final TracingProvider tracing;

    private PdpCallSpans(TracingProvider tracing) {
        this.tracing = tracing;
    }

    /** {@link PdpCallTracer#NONE} when Keycloak's tracing is off. */
    static PdpCallTracer of(TracingProvider tracing) {
        return tracing == null || tracing instanceof NoopTracingProvider ? PdpCallTracer.NONE : new PdpCallSpans(tracing);
    }

    @Override
    public AuthzenAnswer around(PdpConfig pdp, AuthzenQuery query, Supplier<AuthzenAnswer> call) {
        Span span = tracing.startSpan(tracing.getTracer(PdpCallSpans.class.getName()).spanBuilder(NAME)
                .setSpanKind(SpanKind.CLIENT));
        try {
            if (span.isRecording()) {
                span.setAttribute(PDP, pdp.name());
                if (pdp.url().getHost() != null) {
                    span.setAttribute(SERVER_ADDRESS, pdp.url().getHost());
                }
                int port = pdp.url().getPort() >= 0 ? pdp.url().getPort() : "https".equalsIgnoreCase(pdp.url().getScheme()) ? 443 : 80;
                span.setAttribute(SERVER_PORT, (long) port);
                span.setAttribute(EVALUATIONS, (long) Math.max(1, query.evaluations()));
            }
            AuthzenAnswer answer = call.get();
            if (span.isRecording()) {
                span.setAttribute(DECISION, allAllowed(answer.decisions()) ? "allow" : "deny");
            }
            return answer;
        } catch (RuntimeException e) {
            tracing.error(e);
            throw e;
        } finally {
            tracing.endSpan();
        }
    }

    private static boolean allAllowed(boolean[] decisions) {
        for (boolean d : decisions) {
            if (!d) {
                return false;
            }
        }
        return true;
    }
}
