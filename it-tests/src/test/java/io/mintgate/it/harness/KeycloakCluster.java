package io.mintgate.it.harness;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keycloak nodes that form one cluster, as in production: they share one PostgreSQL database ({@link PostgresServer},
 * a real server on loopback) and discover each other with Keycloak's default {@code jdbc-ping} stack, the JGroups
 * transport bound to 127.0.0.1. {@code --db} is a build option, so the nodes run a copy of the test distribution
 * built with {@code --db=postgres} ({@link #postgresDistribution}, re-augmented only when the bundle or the build
 * options change); each node runs from its own copy of that (its own data directory, audit spool and log). Started
 * by the test class that needs it (or shared, {@link SharedKeycloakCluster}), in addition to the suite's single-node
 * server; closed (nodes, then the database) by that class (or at the end of the run).
 */
public final class KeycloakCluster implements AutoCloseable {

    private static final Pattern VIEW = Pattern.compile("Received new cluster view for channel \\S+: \\[[^\\]]*\\] \\((\\d+)\\)");
    private static final Duration VIEW_TIMEOUT = Duration.ofMinutes(3);
    private static final String FINGERPRINT_FILE = ".mintgate-build-fingerprint";

    private final PostgresServer database;
    private final List<DistributionKeycloak> nodes = new ArrayList<>();

    private KeycloakCluster(PostgresServer database) {
        this.database = database;
    }

    /** Starts the database and {@code size} nodes one after the other, and waits until every node sees them all. */
    public static KeycloakCluster start(int size) {
        return start(size, "cluster");
    }

    /**
     * As {@link #start(int)}, in {@code <it.work.dir>/<name>} with the database in {@code <name>-postgres}: clusters
     * of different names can run at the same time.
     */
    public static KeycloakCluster start(int size, String name) {
        Path itWork = Path.of(System.getProperty("it.work.dir", "target/it-work"));
        Path workDir = itWork.resolve(name);
        KeycloakCluster cluster = null;
        try {
            Path distribution = postgresDistribution(Path.of(required("it.keycloak.home")), itWork);
            deleteRecursively(workDir);
            Files.createDirectories(workDir);
            cluster = new KeycloakCluster(PostgresServer.start(itWork.resolve(name + "-postgres")));
            for (int i = 0; i < size; i++) {
                String node = "node-" + (char) ('a' + i);
                Path home = workDir.resolve(node).resolve(distribution.getFileName());
                copyDistribution(distribution, home);
                List<String> options = new ArrayList<>(List.of(
                        "--cache=ispn",
                        "--cache-embedded-network-bind-address=127.0.0.1",
                        "--cache-embedded-network-bind-port=" + freePort()));
                options.addAll(cluster.database.keycloakOptions());
                System.out.println("[cluster] starting " + node + " from " + home);
                cluster.nodes.add(new DistributionKeycloak(home, workDir.resolve(node), options,
                        ServerOptions.buildFor("postgres")).start());
            }
            for (DistributionKeycloak node : cluster.nodes) {
                awaitView(node, size);
            }
            return cluster;
        } catch (IOException e) {
            if (cluster != null) {
                cluster.close();
            }
            throw new IllegalStateException("could not start a " + size + "-node Keycloak cluster: " + e, e);
        } catch (RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            }
            throw e;
        }
    }

    /**
     * The test distribution {@code distribution} re-augmented with {@code --db=postgres} in its own copy next to it
     * ({@code <name>-postgres}), see {@link #rebuiltCopy}.
     */
    public static Path postgresDistribution(Path distribution, Path logDir) throws IOException {
        return rebuiltCopy(distribution, "postgres", ServerOptions.buildFor("postgres"), logDir);
    }

    /**
     * A copy of the test distribution {@code distribution} next to it ({@code <name>-<suffix>}) re-augmented with
     * other build options ({@code build}): copied afresh and built only when its build fingerprint (providers and
     * build options) differs from the one recorded by its last build, else reused as it is.
     */
    public static Path rebuiltCopy(Path distribution, String suffix, List<String> build, Path logDir) throws IOException {
        Path copy = distribution.resolveSibling(distribution.getFileName() + "-" + suffix);
        Path marker = copy.resolve(FINGERPRINT_FILE);
        String wanted = BuildFingerprint.of(distribution.resolve("providers"), build);
        if (!Files.exists(marker) || !Files.readString(marker).trim().equals(wanted)) {
            System.out.println("[keycloak] copying " + distribution + " to " + copy + " for a build with " + build);
            deleteRecursively(copy);
            copyDistribution(distribution, copy);
        }
        new DistributionKeycloak(copy, logDir.resolve(suffix + "-build"), List.of(), build).build();
        return copy;
    }

    public List<DistributionKeycloak> nodes() {
        return List.copyOf(nodes);
    }

    public DistributionKeycloak node(int index) {
        return nodes.get(index);
    }

    /** The largest cluster view this node has logged. */
    static int largestView(String log) {
        int largest = 0;
        Matcher matcher = VIEW.matcher(log);
        while (matcher.find()) {
            largest = Math.max(largest, Integer.parseInt(matcher.group(1)));
        }
        return largest;
    }

    private static void awaitView(DistributionKeycloak node, int size) {
        long deadline = System.nanoTime() + VIEW_TIMEOUT.toNanos();
        while (largestView(node.log()) < size) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node " + node.baseUri() + " never saw a cluster of " + size
                        + " within " + VIEW_TIMEOUT + "; log tail:\n" + DistributionKeycloak.tail(node.logFile(), 60));
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        System.out.println("[cluster] " + node.baseUri() + " sees " + size + " nodes");
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close();
            } catch (RuntimeException e) {
                System.out.println("[cluster] stopping node " + i + " failed: " + e);
            }
        }
        if (database != null) {
            database.close();
        }
    }

    /** The built distribution without its data (database, audit spool): same providers, same build fingerprint. */
    private static void copyDistribution(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(from.resolve("data"))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
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
