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

import org.h2.tools.Server;

/**
 * Keycloak nodes that form one cluster, as in production: they share one database (an H2 TCP server on loopback,
 * the database engine the test distribution is built for, so no re-augmentation) and discover each other with
 * Keycloak's default {@code jdbc-ping} stack, the JGroups transport bound to 127.0.0.1. Each node runs from its own
 * copy of the built distribution (its own data directory, audit spool and log). Started by the test class that
 * needs it, in addition to the suite's single-node server; closed (nodes, then the database) by that class.
 */
public final class KeycloakCluster implements AutoCloseable {

    private static final Pattern VIEW = Pattern.compile("Received new cluster view for channel \\S+: \\[[^\\]]*\\] \\((\\d+)\\)");
    private static final Duration VIEW_TIMEOUT = Duration.ofMinutes(3);
    private static final String DB_USER = "sa";
    /** A loopback-only test database's password; it never leaves this machine. */
    private static final String DB_PASSWORD = "mintgate-cluster-test";

    private final Server database;
    private final List<DistributionKeycloak> nodes = new ArrayList<>();

    private KeycloakCluster(Server database) {
        this.database = database;
    }

    /** Starts the database and {@code size} nodes one after the other, and waits until every node sees them all. */
    public static KeycloakCluster start(int size) {
        Path distribution = Path.of(required("it.keycloak.home"));
        Path workDir = Path.of(System.getProperty("it.work.dir", "target/it-work")).resolve("cluster");
        KeycloakCluster cluster = null;
        try {
            deleteRecursively(workDir);
            Files.createDirectories(workDir);
            int dbPort = freePort();
            Server database = Server.createTcpServer("-tcpPort", String.valueOf(dbPort), "-ifNotExists").start();
            cluster = new KeycloakCluster(database);
            String dbUrl = "jdbc:h2:tcp://127.0.0.1:" + dbPort + "/" + workDir.toAbsolutePath().resolve("h2/keycloakdb")
                    + ";NON_KEYWORDS=VALUE";
            for (int i = 0; i < size; i++) {
                String name = "node-" + (char) ('a' + i);
                Path home = workDir.resolve(name).resolve(distribution.getFileName());
                copyDistribution(distribution, home);
                List<String> options = List.of(
                        "--cache=ispn",
                        "--cache-embedded-network-bind-address=127.0.0.1",
                        "--cache-embedded-network-bind-port=" + freePort(),
                        "--db-url=" + dbUrl, "--db-username=" + DB_USER, "--db-password=" + DB_PASSWORD);
                System.out.println("[cluster] starting " + name + " from " + home);
                cluster.nodes.add(new DistributionKeycloak(home, workDir.resolve(name), options).start());
            }
            for (DistributionKeycloak node : cluster.nodes) {
                awaitView(node, size);
            }
            return cluster;
        } catch (IOException | java.sql.SQLException e) {
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
        database.stop();
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
