package io.mintgate.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Keycloak of its own with OpenTelemetry tracing on, exporting to an OTLP/HTTP receiver. {@code tracing-enabled}
 * is a build option, and the suite's server keeps tracing off (the default every other test and the benchmark
 * measure), so this server runs from a copy of the distribution built with the suite's options plus
 * {@code --tracing-enabled=true} (re-augmented only when the bundle or the build options change), on a fresh data directory.
 */
public final class TracingKeycloak {

    public static final List<String> BUILD = Stream.concat(ServerOptions.BUILD.stream(),
            Stream.of("--tracing-enabled=true")).toList();

    private TracingKeycloak() {
    }

    public static DistributionKeycloak start(URI otlpEndpoint) {
        Path itWork = Path.of(System.getProperty("it.work.dir", "target/it-work"));
        Path workDir = itWork.resolve("tracing");
        try {
            Path home = KeycloakCluster.rebuiltCopy(Path.of(required("it.keycloak.home")), "tracing", BUILD, itWork);
            deleteRecursively(home.resolve("data"));
            List<String> options = new ArrayList<>(ServerOptions.startOptions());
            options.add("--vault-dir=" + ServerOptions.vaultDir(workDir));
            options.add("--tracing-endpoint=" + otlpEndpoint);
            options.add("--tracing-protocol=http/protobuf");
            // Keycloak's exporter sends a batch every 5 s (Quarkus' default); a test waits for each, so send sooner.
            return new DistributionKeycloak(home, workDir, options, BUILD)
                    .javaOptsAppend("-Dquarkus.otel.bsp.schedule.delay=200ms").start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run the tests through ./mvnw verify");
        }
        return value;
    }
}
