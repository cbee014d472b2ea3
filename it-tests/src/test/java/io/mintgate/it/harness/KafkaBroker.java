package io.mintgate.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process), run as a separate JVM from
 * the classpath the Maven build resolved for {@code org.apache.kafka:kafka_2.13} (system property
 * {@code it.kafka.broker.classpath.file}). Its jackson/scala dependencies never meet the test classpath. Log dirs
 * live under {@code target/it-work/kafka}, wiped at each start. Started without waiting: producers and consumers
 * retry until it is up, so its boot overlaps Keycloak's. Stopped with the test JVM (close or shutdown hook).
 */
public final class KafkaBroker implements AutoCloseable {

    /** JVM options for the tests: a broker that starts fast (C1 only) and stays small. */
    public static final String TEST_JVM_OPTIONS = "-Xms128m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto";

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Thread shutdownHook;

    private KafkaBroker(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stop, "kafka-broker-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static KafkaBroker launch(Path workDir) {
        return launch(workDir, TEST_JVM_OPTIONS);
    }

    /** {@code jvmOptions}: heap, GC and JIT options of the broker JVM (space-separated, no quoting). */
    public static KafkaBroker launch(Path workDir, String jvmOptions) {
        try {
            String classpath = brokerClasspath();
            Path dir = workDir.resolve("kafka");
            deleteTree(dir);
            Path data = Files.createDirectories(dir.resolve("data"));
            int port = freePort();
            int controllerPort = freePort();
            Path config = dir.resolve("server.properties");
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + data,
                    "num.partitions=1",
                    "auto.create.topics.enable=true",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "") , StandardCharsets.UTF_8);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String jvm = jvmOptions + " -Djava.awt.headless=true -Dlog4j2.level=WARN";
            // Format the KRaft storage, then exec the broker in the same shell: one process tree to stop.
            String script = "exec_java() { \"$JAVA\" " + jvm + " -cp \"$CP\" \"$@\"; }\n"
                    + "exec_java kafka.tools.StorageTool format -t \"$CLUSTER\" -c \"$CONFIG\" || exit 3\n"
                    + "exec \"$JAVA\" " + jvm + " -cp \"$CP\" kafka.Kafka \"$CONFIG\"\n";
            Path logFile = dir.resolve("broker.log");
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(logFile.toFile());
            builder.environment().put("JAVA", java);
            builder.environment().put("CP", classpath);
            builder.environment().put("CLUSTER", Uuid.randomUuid().toString());
            builder.environment().put("CONFIG", config.toString());
            Process process = builder.start();
            System.out.printf("[kafka] broker starting on 127.0.0.1:%d (log: %s)%n", port, logFile);
            return new KafkaBroker(process, port, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker JVM's pid: the launch script execs it in place of the shell. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String logTail() {
        return DistributionKeycloak.tail(logFile, 40);
    }

    private static String brokerClasspath() throws IOException {
        String file = System.getProperty("it.kafka.broker.classpath.file");
        if (file == null || !Files.exists(Path.of(file))) {
            throw new IllegalStateException("no Kafka broker classpath (" + file + "): run the tests through ./mvnw verify");
        }
        // The antrun plugin's own jars (Ant) share the plugin classpath; the broker does not need them.
        return Arrays.stream(Files.readString(Path.of(file), StandardCharsets.UTF_8).trim().split(java.io.File.pathSeparator))
                .filter(entry -> !entry.contains("/org/apache/ant/") && !entry.contains("maven-antrun-plugin"))
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private void stop() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(15, TimeUnit.SECONDS);
            } catch (Exception stillRunning) {
                handle.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // already in the hook
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
