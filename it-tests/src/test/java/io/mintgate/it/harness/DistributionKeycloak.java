package io.mintgate.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Keycloak distribution unpacked under {@code target/}, started as a child process on free loopback ports.
 * {@code kc.sh build} runs only when the providers or build options changed; the whole process tree is stopped
 * on close because {@code kc.sh} does not exec java.
 */
public final class DistributionKeycloak implements KeycloakRuntime {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    private static final String FINGERPRINT_FILE = ".mintgate-build-fingerprint";

    private final Path home;
    private final Path logDir;
    private final List<String> extraStartOptions;
    /** The {@code kc.sh build} options this distribution is (re-)augmented with. */
    private final List<String> buildOptions;
    /** The start options in force: {@link #extraStartOptions} with the overrides of the last {@link #restartWith}. */
    private List<String> currentStartOptions;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int httpPort;
    private int managementPort;
    private Path logFile;
    private int starts;
    private long lastStartMillis;
    /** Extra JVM options for the server (kc.sh's JAVA_OPTS_APPEND), e.g. a flight recording in the benchmark. */
    private String javaOptsAppend;

    public DistributionKeycloak(Path home, Path logDir, List<String> extraStartOptions) {
        this(home, logDir, extraStartOptions, ServerOptions.BUILD);
    }

    /** A distribution built with other build options than the suite's (e.g. {@link ServerOptions#buildFor}). */
    public DistributionKeycloak(Path home, Path logDir, List<String> extraStartOptions, List<String> buildOptions) {
        this.home = home;
        this.logDir = logDir;
        this.extraStartOptions = List.copyOf(extraStartOptions);
        this.buildOptions = List.copyOf(buildOptions);
        this.currentStartOptions = this.extraStartOptions;
    }

    /** JVM options appended to kc.sh's defaults at the next start (profiling); null for none. */
    public DistributionKeycloak javaOptsAppend(String options) {
        this.javaOptsAppend = javaOptsAppend == null ? options : javaOptsAppend + " " + options;
        return this;
    }

    /** Builds if needed, then starts and waits until ready. */
    public DistributionKeycloak start() {
        try {
            Files.createDirectories(logDir);
            buildIfChanged();
            launch();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code kc.sh build} if the providers or build options changed since the last build; starts nothing. */
    public DistributionKeycloak build() {
        try {
            Files.createDirectories(logDir);
            buildIfChanged();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Simulates a crash: SIGKILL to the JVM and everything under it, no shutdown hooks. */
    public void kill() {
        stopProcessTree(true);
    }

    /** Starts again on the same ports after {@link #kill()} or {@link #close()}. */
    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the server (gracefully, or with SIGKILL when {@code crash}) and starts it again on the same ports and
     * data directory with the standard start options where each override replaces the option of the same name
     * ({@code --name=value}) or is added. The overrides stay in force for {@link #restart()}; an empty list goes
     * back to the standard options.
     */
    public void restartWith(List<String> overrides, boolean crash) {
        stopProcessTree(crash);
        currentStartOptions = merge(extraStartOptions, overrides);
        restart();
    }

    static List<String> merge(List<String> base, List<String> overrides) {
        java.util.LinkedHashMap<String, String> byName = new java.util.LinkedHashMap<>();
        for (String option : base) {
            byName.put(optionName(option), option);
        }
        for (String option : overrides) {
            byName.put(optionName(option), option);
        }
        return List.copyOf(byName.values());
    }

    private static String optionName(String option) {
        int eq = option.indexOf('=');
        return eq < 0 ? option : option.substring(0, eq);
    }

    public List<String> currentStartOptions() {
        return currentStartOptions;
    }

    /** The log of the current (last) start. */
    public Path logFile() {
        return logFile;
    }

    /** How long the last start took until {@code /health/ready} answered 200. */
    public long lastStartMillis() {
        return lastStartMillis;
    }

    public Path home() {
        return home;
    }

    /**
     * The server's JVM: {@code kc.sh} does not exec java, so it is the java process among kc.sh's descendants
     * (or kc.sh itself if a future script does exec). Used to read the server's CPU time.
     */
    public ProcessHandle javaProcess() {
        if (process == null) {
            throw new IllegalStateException("not started");
        }
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(process.toHandle()), process.descendants())
                .filter(h -> h.info().command().map(c -> c.endsWith("/java") || c.equals("java")).orElse(false))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no java process under kc.sh (pid " + process.pid() + ")"));
    }

    private void buildIfChanged() throws IOException {
        Path marker = home.resolve(FINGERPRINT_FILE);
        String fingerprint = BuildFingerprint.of(home.resolve("providers"), buildOptions);
        if (Files.exists(marker) && Files.readString(marker).trim().equals(fingerprint)) {
            System.out.println("[keycloak] providers and build options unchanged: reusing the built server");
            restoreProviderTimestamps();
            return;
        }
        Path buildLog = logDir.resolve("keycloak-build.log");
        List<String> command = new ArrayList<>(List.of(kcScript(), "build"));
        command.addAll(buildOptions);
        System.out.println("[keycloak] kc.sh build (providers or build options changed), log: " + buildLog);
        long started = System.nanoTime();
        Process build = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(buildLog.toFile()).start();
        int exit = waitFor(build, Duration.ofMinutes(5));
        if (exit != 0) {
            throw new IllegalStateException("kc.sh build failed (exit " + exit + "):\n" + tail(buildLog, 60));
        }
        Files.writeString(marker, fingerprint);
        System.out.printf("[keycloak] built in %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    /**
     * {@code kc.sh build} records each provider jar's last-modified time, and {@code start --optimized} exits with 2
     * ("A provider JAR was updated since the last build") when it differs. The Maven build copies the bundle again
     * on every run (new mtime, same bytes), so when the fingerprint says the content is unchanged the recorded
     * times are put back.
     */
    private void restoreProviderTimestamps() throws IOException {
        Path generated = home.resolve("lib/quarkus/generated-bytecode.jar");
        if (!Files.exists(generated)) {
            return;
        }
        java.util.Properties persisted = new java.util.Properties();
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(generated.toFile())) {
            java.util.zip.ZipEntry entry = zip.getEntry("META-INF/keycloak-persisted.properties");
            if (entry == null) {
                return;
            }
            try (var in = zip.getInputStream(entry)) {
                persisted.load(in);
            }
        }
        String prefix = "kc.provider.file.";
        String suffix = ".last-modified";
        for (String key : persisted.stringPropertyNames()) {
            if (key.startsWith(prefix) && key.endsWith(suffix)) {
                Path jar = home.resolve("providers").resolve(key.substring(prefix.length(), key.length() - suffix.length()));
                long recorded = Long.parseLong(persisted.getProperty(key).trim());
                if (Files.exists(jar) && Files.getLastModifiedTime(jar).toMillis() != recorded) {
                    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(recorded));
                }
            }
        }
    }

    private void launch() throws IOException {
        boolean freshPorts = httpPort == 0;
        for (int attempt = 1; ; attempt++) {
            try {
                launchOnce();
                return;
            } catch (IllegalStateException e) {
                // A port from freePort() is free when chosen, not reserved: an outgoing connection (e.g. a cluster
                // node's JDBC client) can take it before Keycloak binds. Seen once in CI; choose again, twice at most.
                // Not on a restart: callers keep the server's URI across restarts.
                if (!freshPorts || attempt >= 3 || process.isAlive() || !tail(logFile, 80).contains("Port already bound")) {
                    throw e;
                }
                System.out.printf("[keycloak] port %d or %d was taken before Keycloak could bind it; choosing new ports%n",
                        httpPort, managementPort);
                httpPort = 0;
            }
        }
    }

    private void launchOnce() throws IOException {
        if (httpPort == 0) {
            httpPort = freePort();
            managementPort = freePort();
        }
        starts++;
        logFile = logDir.resolve(starts == 1 ? "keycloak.log" : "keycloak-" + starts + ".log");
        List<String> command = new ArrayList<>(List.of(kcScript(), "start", "--optimized"));
        // A start option of the same name replaces a default here (e.g. --cache=ispn for a cluster node).
        command.addAll(merge(List.of(
                "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + httpPort,
                "--http-management-port=" + managementPort, "--hostname-strict=false", "--cache=local",
                "--bootstrap-admin-client-id=" + ServerOptions.ADMIN_CLIENT_ID,
                "--bootstrap-admin-client-secret=" + ServerOptions.ADMIN_CLIENT_SECRET), currentStartOptions));
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(logFile.toFile());
        if (javaOptsAppend != null) {
            builder.environment().put("JAVA_OPTS_APPEND", javaOptsAppend);
        }
        process = builder.start();
        awaitReady();
        lastStartMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        System.out.printf("[keycloak] ready on %s in %d s (log: %s)%n", baseUri(), lastStartMillis / 1000, logFile);
    }

    private void awaitReady() {
        URI ready = URI.create(managementUri() + "/health/ready");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue()
                        + " before it was ready; log tail:\n" + tail(logFile, 80));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(Duration.ofMillis(250));
        }
        stopProcessTree(true);
        throw new IllegalStateException("Keycloak not ready within " + READY_TIMEOUT + "; log tail:\n" + tail(logFile, 80));
    }

    @Override
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    @Override
    public URI managementUri() {
        return URI.create("http://127.0.0.1:" + managementPort);
    }

    @Override
    public String adminClientId() {
        return ServerOptions.ADMIN_CLIENT_ID;
    }

    @Override
    public String adminClientSecret() {
        return ServerOptions.ADMIN_CLIENT_SECRET;
    }

    @Override
    public Optional<String> readServerFile(String relativePath) {
        Path file = home.resolve(relativePath);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stopProcessTree(false);
    }

    private void stopProcessTree(boolean kill) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        for (ProcessHandle handle : tree) {
            if (kill) {
                handle.destroyForcibly();
            } else {
                handle.destroy();
            }
        }
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception stillRunning) {
                handle.destroyForcibly();
            }
        }
        process = null;
    }

    private String kcScript() {
        return home.resolve("bin/kc.sh").toString();
    }

    private static int waitFor(Process p, Duration timeout) {
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
