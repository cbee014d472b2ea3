package io.mintgate.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP proxy in the test JVM that forwards every request to one upstream (method, path, body,
 * Content-Type and Authorization) and counts them, so a test can prove how often the server under test called,
 * e.g., a PDP. An unreachable upstream is answered 502.
 */
public final class CountingProxy implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger forwarded = new AtomicInteger();

    private CountingProxy(HttpServer server) {
        this.server = server;
    }

    public static CountingProxy to(URI upstream) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            CountingProxy proxy = new CountingProxy(server);
            server.createContext("/", exchange -> {
                proxy.forwarded.incrementAndGet();
                byte[] body = exchange.getRequestBody().readAllBytes();
                HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                        .timeout(Duration.ofSeconds(5))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                for (String header : new String[] {"Content-Type", "Accept", "Authorization"}) {
                    String value = exchange.getRequestHeaders().getFirst(header);
                    if (value != null) {
                        request.header(header, value);
                    }
                }
                int status;
                byte[] answer;
                try {
                    HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                    status = response.statusCode();
                    answer = response.body();
                    response.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
                } catch (IOException e) {
                    status = 502;
                    answer = new byte[0];
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    status = 502;
                    answer = new byte[0];
                }
                exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
                if (answer.length > 0) {
                    exchange.getResponseBody().write(answer);
                }
                exchange.close();
            });
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "counting-proxy");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requests forwarded so far. */
    public int count() {
        return forwarded.get();
    }

    /** Stops listening: connections to {@link #uri()} are refused from now on. */
    @Override
    public void close() {
        server.stop(0);
    }
}
