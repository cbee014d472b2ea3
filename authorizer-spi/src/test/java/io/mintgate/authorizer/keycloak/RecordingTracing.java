package io.mintgate.authorizer.keycloak;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.keycloak.tracing.TracingProvider;

/**
 * Keycloak's tracing provider as it behaves with {@code tracing-enabled=true} (its {@code OTelTracingProvider} lives
 * in the Quarkus server, not on this classpath): {@code startSpan} makes the new span current, {@code endSpan}
 * ends the current one, {@code error} records the exception and sets ERROR. Spans are recorded by the real
 * OpenTelemetry SDK and collected here when they end.
 */
public final class RecordingTracing implements TracingProvider {

    private final List<SpanData> ended = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider sdk = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
                @Override
                public CompletableResultCode export(java.util.Collection<SpanData> spans) {
                    ended.addAll(spans);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            })).build();
    private final Deque<Scope> scopes = new ArrayDeque<>();

    /** The spans ended so far, in the order they ended. */
    public List<SpanData> ended() {
        return List.copyOf(ended);
    }

    public SpanData only(String name) {
        List<SpanData> named = ended.stream().filter(s -> s.getName().equals(name)).toList();
        if (named.size() != 1) {
            throw new AssertionError("expected one span " + name + ", got " + ended);
        }
        return named.get(0);
    }

    /** Whether every started span was ended (Keycloak warns otherwise). */
    public boolean allEnded() {
        return scopes.isEmpty();
    }

    @Override
    public Span getCurrentSpan() {
        return Span.current();
    }

    @Override
    public Span startSpan(String tracerName, String spanName) {
        return startSpan(getTracer(tracerName).spanBuilder(spanName));
    }

    @Override
    public Span startSpan(SpanBuilder builder) {
        Span span = builder.startSpan();
        scopes.push(span.makeCurrent());
        return span;
    }

    @Override
    public void endSpan() {
        Span.current().end();
        scopes.pop().close();
    }

    @Override
    public void error(Throwable exception) {
        Span span = Span.current();
        span.recordException(exception);
        span.setStatus(StatusCode.ERROR, exception.getMessage());
    }

    @Override
    public void trace(String tracerName, String spanName, Consumer<Span> execution) {
        startSpan(tracerName, spanName);
        try {
            execution.accept(getCurrentSpan());
        } catch (RuntimeException e) {
            error(e);
            throw e;
        } finally {
            endSpan();
        }
    }

    @Override
    public <T> T trace(String tracerName, String spanName, Function<Span, T> execution) {
        startSpan(tracerName, spanName);
        try {
            return execution.apply(getCurrentSpan());
        } catch (RuntimeException e) {
            error(e);
            throw e;
        } finally {
            endSpan();
        }
    }

    @Override
    public Tracer getTracer(String name, String scopeVersion) {
        return sdk.get(name, scopeVersion);
    }

    @Override
    public boolean validateAllSpansEnded() {
        return allEnded();
    }

    @Override
    public void close() {
        sdk.close();
    }
}
