package io.mintgate.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The audit HTTP sink's collector as an operator would run one: accepts {@code application/cloudevents-batch+json}
 * POSTs, rejects a batch whose {@code X-Mintgate-Signature} is not the HMAC-SHA256 of the body under the shared
 * secret (401), de-duplicates events by CloudEvents {@code id} (delivery is at-least-once), and can be switched to
 * answer 503 to play an outage. Bound to an ephemeral loopback port chosen by the OS, so it never races for a port.
 */
public final class CloudEventsReceiver implements AutoCloseable {

    public static final String PATH = "/events";
    private static final String SIGNATURE_HEADER = "X-Mintgate-Signature";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "cloudevents-receiver");
        t.setDaemon(true);
        return t;
    });
    private final byte[] secret;
    private final Map<String, JsonNode> byId = new LinkedHashMap<>();
    private final List<String> acceptedBodies = new ArrayList<>();
    private final AtomicInteger acceptedBatches = new AtomicInteger();
    private final AtomicInteger refusedOutage = new AtomicInteger();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final AtomicInteger deliveries = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private volatile boolean unavailable;

    private CloudEventsReceiver(String hmacSecret) throws IOException {
        this.secret = hmacSecret.getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext(PATH, this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static CloudEventsReceiver start(String hmacSecret) {
        try {
            return new CloudEventsReceiver(hmacSecret);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    /** {@code true}: every POST is answered 503 (and nothing is recorded) until switched back. */
    public void setUnavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (unavailable) {
                refusedOutage.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            String signature = exchange.getRequestHeaders().getFirst(SIGNATURE_HEADER);
            if (signature == null || !MessageDigest.isEqual(signature.getBytes(StandardCharsets.US_ASCII),
                    ("sha256=" + hmacHex(body)).getBytes(StandardCharsets.US_ASCII))) {
                badSignatures.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            JsonNode events;
            try {
                events = AdminApi.MAPPER.readTree(body);
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            if (!events.isArray() || contentType == null || !contentType.startsWith("application/cloudevents-batch+json")) {
                exchange.sendResponseHeaders(415, -1);
                return;
            }
            synchronized (this) {
                for (JsonNode event : events) {
                    deliveries.incrementAndGet();
                    if (byId.putIfAbsent(event.path("id").asText(), event) != null) {
                        duplicates.incrementAndGet();
                    }
                }
                acceptedBodies.add(new String(body, StandardCharsets.UTF_8));
            }
            acceptedBatches.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private String hmacHex(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Distinct events received so far (de-duplicated by id), in arrival order. */
    public synchronized List<JsonNode> records() {
        return new ArrayList<>(byId.values());
    }

    /** The raw bodies of every accepted batch, for content searches. */
    public synchronized List<String> acceptedBodies() {
        return new ArrayList<>(acceptedBodies);
    }

    public int acceptedBatches() {
        return acceptedBatches.get();
    }

    public int refusedDuringOutage() {
        return refusedOutage.get();
    }

    public int badSignatures() {
        return badSignatures.get();
    }

    /** Events received including re-deliveries. */
    public int deliveries() {
        return deliveries.get();
    }

    public int duplicates() {
        return duplicates.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
