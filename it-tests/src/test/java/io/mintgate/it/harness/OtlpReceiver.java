package io.mintgate.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/**
 * An OTLP/HTTP trace receiver on loopback (OTLP 1.x, {@code POST /v1/traces}, binary protobuf, optionally gzip):
 * what Keycloak's exporter sends with {@code tracing-protocol=http/protobuf}. Each request is decoded with the
 * official OpenTelemetry protobuf classes ({@code io.opentelemetry.proto:opentelemetry-proto}) and answered with an
 * {@code ExportTraceServiceResponse}; a body that does not decode is answered 400 and counted. No collector binary
 * (OpenTelemetry Collector, Jaeger) is available from the registries these machines reach, hence this fixture.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One received span, its ids in lowercase hex (the parent's empty for a root span). */
    public record ReceivedSpan(String service, String scope, String traceId, String spanId, String parentSpanId,
                               String name, String kind, String statusCode, String statusMessage,
                               Map<String, Object> attributes) {

        public Object attribute(String key) {
            return attributes.get(key);
        }

        public boolean isRoot() {
            return parentSpanId.isEmpty();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "otlp-receiver");
        t.setDaemon(true);
        return t;
    });
    private final List<ReceivedSpan> spans = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();
    private int rejected;

    private OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static OtlpReceiver start() {
        try {
            return new OtlpReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL to give Keycloak as {@code tracing-endpoint}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            ExportTraceServiceRequest request;
            try (InputStream body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                request = ExportTraceServiceRequest.parseFrom(body);
            } catch (IOException e) {
                synchronized (this) {
                    rejected++;
                }
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            List<ReceivedSpan> decoded = decode(request);
            synchronized (this) {
                paths.add(exchange.getRequestURI().getPath());
                spans.addAll(decoded);
                notifyAll();
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    private static List<ReceivedSpan> decode(ExportTraceServiceRequest request) {
        List<ReceivedSpan> out = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = "";
            for (KeyValue kv : resource.getResource().getAttributesList()) {
                if (kv.getKey().equals("service.name")) {
                    service = kv.getValue().getStringValue();
                }
            }
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span span : scope.getSpansList()) {
                    Map<String, Object> attributes = new LinkedHashMap<>();
                    for (KeyValue kv : span.getAttributesList()) {
                        attributes.put(kv.getKey(), value(kv.getValue()));
                    }
                    out.add(new ReceivedSpan(service, scope.getScope().getName(),
                            hex.formatHex(span.getTraceId().toByteArray()), hex.formatHex(span.getSpanId().toByteArray()),
                            hex.formatHex(span.getParentSpanId().toByteArray()), span.getName(), span.getKind().name(),
                            span.getStatus().getCode().name(), span.getStatus().getMessage(), Map.copyOf(attributes)));
                }
            }
        }
        return out;
    }

    private static Object value(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue();
            case INT_VALUE -> value.getIntValue();
            case DOUBLE_VALUE -> value.getDoubleValue();
            default -> value.toString();
        };
    }

    /** Every span received so far. */
    public synchronized List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** The request paths the exporter posted to. */
    public synchronized List<String> paths() {
        return List.copyOf(paths);
    }

    /** Bodies that were not an {@code ExportTraceServiceRequest}. */
    public synchronized int rejected() {
        return rejected;
    }

    /**
     * Waits until a received span matches (the exporter batches: Keycloak sends every few seconds), or fails
     * naming {@code what} and listing the span names seen.
     */
    public ReceivedSpan await(String what, Predicate<ReceivedSpan> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                for (ReceivedSpan span : spans) {
                    if (matches.test(span)) {
                        return span;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no span for " + what + " within " + timeout + "; received "
                            + spans.size() + " spans: " + spans.stream().map(ReceivedSpan::name).distinct().toList());
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** The spans of one trace. */
    public synchronized List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
