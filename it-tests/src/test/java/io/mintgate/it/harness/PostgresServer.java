package io.mintgate.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server (the machine's Debian package, {@code /usr/lib/postgresql/<major>/bin}) on 127.0.0.1 and a
 * free port, with a fresh data directory under {@code target/}, owned by and run as the {@code postgres} OS user
 * (initdb refuses root). One database {@code keycloak} owned by one role, password-authenticated over TCP; the unix
 * socket lives in the data directory (mode 700), where only the postgres user reaches it (to create the database). Stopped with
 * {@code pg_ctl stop -m fast} on {@link #close()}, and by a shutdown hook if the JVM ends first.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "keycloak";
    public static final String USER = "keycloak";
    /** A loopback-only test database's password; it never leaves this machine. */
    public static final String PASSWORD = "mintgate-cluster-test";
    private static final String OS_USER = "postgres";

    private final Path bin;
    private final Path dataDir;
    private final int port;
    private final Thread shutdownHook;
    private boolean stopped;

    private PostgresServer(Path bin, Path dataDir, int port) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.port = port;
        this.shutdownHook = new Thread(this::stop, "postgres-stop");
    }

    /** initdb into {@code dataDir} (deleted first), start, create the role and database; fails if any step fails. */
    public static PostgresServer start(Path dataDir) {
        Path bin = binaries();
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("PostgresServer runs initdb and the server as the postgres OS user through"
                    + " runuser, which needs root; these tests run as " + System.getProperty("user.name"));
        }
        try {
            Path parent = dataDir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            run(List.of("rm", "-rf", dataDir.toAbsolutePath().toString()), Duration.ofSeconds(30));
            Files.createDirectories(dataDir);
            run(List.of("chown", OS_USER + ":", dataDir.toAbsolutePath().toString()), Duration.ofSeconds(10));
            // initdb reads the role's password from a file (not the command line); the file is deleted after.
            // The postgres user must be able to reach the data directory through target/'s parents.
            Path passwordFile = parent.resolve(dataDir.getFileName() + ".pw");
            Files.writeString(passwordFile, PASSWORD + "\n", StandardCharsets.UTF_8);
            run(List.of("chown", OS_USER + ":", passwordFile.toAbsolutePath().toString()), Duration.ofSeconds(10));
            int port = freePort();
            PostgresServer server = new PostgresServer(bin, dataDir.toAbsolutePath(), port);
            server.asPostgres(Duration.ofMinutes(2), bin.resolve("initdb").toString(), "-D", server.dataDir.toString(),
                    "-U", USER, "--pwfile=" + passwordFile.toAbsolutePath(), "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8",
                    "--locale=C.UTF-8");
            Files.delete(passwordFile);
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            try {
                server.asPostgres(Duration.ofMinutes(1), bin.resolve("pg_ctl").toString(), "start", "-w", "-t", "60",
                        "-D", server.dataDir.toString(), "-l", server.dataDir.resolve("server.log").toString(),
                        "-o", "-c listen_addresses=127.0.0.1 -p " + port + " -c unix_socket_directories=" + server.dataDir
                                + " -c fsync=off -c max_connections=200");
                server.asPostgres(Duration.ofSeconds(30), bin.resolve("createdb").toString(), "-h", server.dataDir.toString(),
                        "-p", String.valueOf(port), "-U", USER, "-O", USER, DATABASE);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            System.out.printf("[postgres] %s ready on 127.0.0.1:%d (data: %s)%n", bin.getParent().getFileName(), port,
                    server.dataDir);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest installed {@code /usr/lib/postgresql/<major>/bin} with initdb, pg_ctl and postgres. */
    static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> majors = Files.newDirectoryStream(root)) {
                for (Path major : majors) {
                    Path bin = major.resolve("bin");
                    if (Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"))
                            && Files.isExecutable(bin.resolve("postgres"))) {
                        found.add(bin);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found.stream().max((a, b) -> Integer.compare(major(a), major(b))).orElseThrow(() -> new IllegalStateException(
                "no PostgreSQL server under /usr/lib/postgresql/*/bin: install it (apt-get install -y postgresql; .ci/run does)"));
    }

    private static int major(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    /** The Keycloak start options that point a node at this database. */
    public List<String> keycloakOptions() {
        return List.of("--db-url=" + jdbcUrl(), "--db-username=" + USER, "--db-password=" + PASSWORD);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            asPostgres(Duration.ofSeconds(60), bin.resolve("pg_ctl").toString(), "stop", "-m", "fast", "-w",
                    "-D", dataDir.toString());
            System.out.println("[postgres] stopped");
        } catch (RuntimeException e) {
            System.out.println("[postgres] stop failed: " + e.getMessage());
        }
    }

    private void asPostgres(Duration timeout, String... command) {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", OS_USER, "--"));
        full.addAll(List.of(command));
        run(full, timeout);
    }

    /** Runs {@code command} with no input (a password prompt fails instead of waiting) and its output in a file. */
    private static void run(List<String> command, Duration timeout) {
        String name = String.join(" ", command.subList(0, Math.min(5, command.size())));
        Path output = null;
        try {
            output = Files.createTempFile("mintgate-postgres-", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(output.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException(name + " did not finish within " + timeout);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "):\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
