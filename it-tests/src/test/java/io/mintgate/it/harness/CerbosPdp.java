package io.mintgate.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The real Cerbos PDP binary (fetched by the build from its npm package, see it-tests/pom.xml), run as a child
 * process on free loopback ports with a policy folder the test writes. Cerbos answers OpenID AuthZEN on its HTTP
 * port ({@code /access/v1/evaluation(s)}, discovery at {@code /.well-known/authzen-configuration}).
 */
public final class CerbosPdp implements AutoCloseable {

    private final Process process;
    private final URI baseUri;
    private final Path log;

    private CerbosPdp(Process process, URI baseUri, Path log) {
        this.process = process;
        this.baseUri = baseUri;
        this.log = log;
    }

    /** Skips the calling test, with the reason, where the Cerbos binary cannot run. */
    public static Path assumeAvailable() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        Assumptions.assumeTrue(os.contains("linux") && ("amd64".equals(arch) || "x86_64".equals(arch)),
                "Cerbos tests need linux-x64 (the build fetches @cerbos/cerbos-linux-x64 only); this is " + os + "/" + arch);
        String binary = System.getProperty("it.cerbos.binary");
        Assumptions.assumeTrue(binary != null && Files.isExecutable(Path.of(binary)),
                "the Cerbos binary was not fetched (" + binary + "): run through ./mvnw verify (profile cerbos-linux-x64)");
        return Path.of(binary);
    }

    /** Starts Cerbos with {@code policies} (file name → YAML) and waits until it answers AuthZEN discovery. */
    public static CerbosPdp start(Path binary, Path workDir, Map<String, String> policies) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(workDir), "cerbos-");
            Path policyDir = Files.createDirectories(dir.resolve("policies"));
            for (Map.Entry<String, String> policy : policies.entrySet()) {
                Files.writeString(policyDir.resolve(policy.getKey()), policy.getValue());
            }
            int http = freePort();
            int grpc = freePort();
            Path config = dir.resolve("cerbos.yaml");
            Files.writeString(config, """
                    server:
                      httpListenAddr: "127.0.0.1:%d"
                      grpcListenAddr: "127.0.0.1:%d"
                    storage:
                      driver: disk
                      disk:
                        directory: "%s"
                    """.formatted(http, grpc, policyDir));
            Path log = dir.resolve("cerbos.log");
            Process process = new ProcessBuilder(binary.toString(), "server", "--config=" + config)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            CerbosPdp cerbos = new CerbosPdp(process, URI.create("http://127.0.0.1:" + http), log);
            cerbos.awaitReady();
            return cerbos;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Cerbos exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(baseUri.resolve("/.well-known/authzen-configuration"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("Cerbos did not answer within 30 s:\n" + log());
    }

    /** The PDP base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return baseUri;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the PDP and waits until it is gone (its port then refuses connections). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
