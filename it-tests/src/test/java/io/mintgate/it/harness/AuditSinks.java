package io.mintgate.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The real audit sinks the shared server ships to, started before Keycloak (their addresses are server options):
 * the HTTP CloudEvents receiver, a Kafka broker in its own JVM, rsyslogd (the syslog sink ships OCSF over TLS to it), and
 * the file sink in the server's data directory.
 * One per test JVM, like the server. Tests read every sink through here.
 */
public final class AuditSinks implements AutoCloseable {

    public static final String TOPIC = "mintgate-audit-it";
    public static final String OPTION = "--spi-events-listener--mintgate-audit--";
    /** The shared server's RFC 5424 HOSTNAME. */
    public static final String SYSLOG_HOSTNAME = "mintgate-it";

    private final String hmacSecret = "it-hmac-" + UUID.randomUUID();
    private final CloudEventsReceiver http;
    private final KafkaBroker kafka;
    private final SyslogReceiver syslog;
    private final Object kafkaLock = new Object();
    private KafkaConsumer<byte[], byte[]> consumer;
    private final List<String> kafkaValues = new ArrayList<>();
    private final List<String> kafkaKeys = new ArrayList<>();
    private final List<JsonNode> kafkaRecords = new ArrayList<>();

    private AuditSinks(Path workDir) {
        this.kafka = KafkaBroker.launch(workDir);
        this.http = CloudEventsReceiver.start(hmacSecret);
        this.syslog = SyslogReceiver.start(workDir);
        System.out.printf("[sinks] HTTP receiver on %s, Kafka broker %s, topic %s%n", http.url(),
                kafka.bootstrapServers(), TOPIC);
    }

    public static AuditSinks start(Path workDir) {
        return new AuditSinks(workDir);
    }

    /** The server options that point the listener at these sinks (fixed for the life of the shared server). */
    public List<String> serverOptions() {
        return List.of(
                OPTION + "sinks=file,http,kafka,syslog",
                OPTION + "http-url=" + http.url(),
                OPTION + "http-hmac-secret=" + hmacSecret,
                OPTION + "kafka-bootstrap-servers=" + kafka.bootstrapServers(),
                OPTION + "kafka-topic=" + TOPIC,
                OPTION + "syslog-host=127.0.0.1",
                OPTION + "syslog-port=" + syslog.tlsPort(),
                OPTION + "syslog-transport=tls",
                OPTION + "syslog-ca-file=" + syslog.caFile(),
                OPTION + "syslog-format=ocsf",
                OPTION + "syslog-hostname=" + SYSLOG_HOSTNAME,
                // short backoff cap: the broker boots alongside Keycloak, and outages in tests last seconds
                OPTION + "backoff-max-ms=1000");
    }

    public CloudEventsReceiver http() {
        return http;
    }

    public SyslogReceiver syslog() {
        return syslog;
    }

    public String hmacSecret() {
        return hmacSecret;
    }

    // ------------------------------------------------------------------ Kafka topic, read from the beginning

    /** Every event on the topic so far (not de-duplicated), polling whatever arrived since the last call. */
    public List<JsonNode> kafkaRecords() {
        synchronized (kafkaLock) {
            pollKafka();
            return new ArrayList<>(kafkaRecords);
        }
    }

    /**
     * Each event on the topic that carries a chain id, as (Kafka key, {@code mintgatechain}); polling whatever arrived
     * since the last call. Events without a chain id (written before chain ids) are left out.
     */
    public List<Map.Entry<String, String>> kafkaKeysAndChains() {
        synchronized (kafkaLock) {
            pollKafka();
            List<Map.Entry<String, String>> pairs = new ArrayList<>();
            for (int i = 0; i < kafkaRecords.size(); i++) {
                JsonNode chain = kafkaRecords.get(i).path("mintgatechain");
                if (chain.isTextual()) {
                    pairs.add(Map.entry(kafkaKeys.get(i), chain.asText()));
                }
            }
            return pairs;
        }
    }

    /** Raw keys and values on the topic, for content searches. */
    public List<String> kafkaRawContent() {
        synchronized (kafkaLock) {
            pollKafka();
            List<String> all = new ArrayList<>(kafkaKeys);
            all.addAll(kafkaValues);
            return all;
        }
    }

    private void pollKafka() {
        if (!kafka.isAlive()) {
            throw new IllegalStateException("the Kafka broker process died; log tail:\n" + kafka.logTail());
        }
        if (consumer == null) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
            props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "mintgate-it-reader");
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        if (consumer.assignment().isEmpty()) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(3));
            } catch (org.apache.kafka.common.errors.TimeoutException notUpYet) {
                return;
            }
            if (partitions == null || partitions.isEmpty()) {
                return; // topic not created yet (nothing shipped yet)
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
        }
        // Drain: keep polling while records come.
        for (int i = 0; i < 50; i++) {
            var batch = consumer.poll(Duration.ofMillis(i == 0 ? 500 : 100));
            if (batch.isEmpty()) {
                return;
            }
            for (ConsumerRecord<byte[], byte[]> r : batch) {
                String value = new String(r.value(), StandardCharsets.UTF_8);
                kafkaValues.add(value);
                kafkaKeys.add(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8));
                try {
                    kafkaRecords.add(AdminApi.MAPPER.readTree(value));
                } catch (IOException e) {
                    throw new AssertionError("a Kafka record is not JSON: " + value, e);
                }
            }
        }
    }

    // ------------------------------------------------------------------ file sink

    /** Parsed lines of a file sink output under the server home (a torn last line is skipped). */
    public static List<JsonNode> fileRecords(KeycloakRuntime runtime, String relativePath) {
        String content = runtime.readServerFile(relativePath).orElse("");
        List<JsonNode> records = new ArrayList<>();
        for (String line : content.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(AdminApi.MAPPER.readTree(line));
            } catch (IOException torn) {
                // the shipper may be mid-line; the next poll sees it whole
            }
        }
        return records;
    }

    // ------------------------------------------------------------------ waiting on all three

    /** The three sinks of a server whose file sink writes {@code fileRelativePath}, each as a record source. */
    public Map<String, Supplier<List<JsonNode>>> sources(KeycloakRuntime runtime, String fileRelativePath) {
        Map<String, Supplier<List<JsonNode>>> sources = new LinkedHashMap<>();
        sources.put("file", () -> fileRecords(runtime, fileRelativePath));
        sources.put("http", http::records);
        sources.put("kafka", this::kafkaRecords);
        return sources;
    }

    /** Polls until the record is in EACH sink; returns it per sink ("file", "http", "kafka"). */
    public Map<String, JsonNode> awaitInEach(KeycloakRuntime runtime, String fileRelativePath, String what,
                                             Predicate<JsonNode> matching, Duration timeout) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        Map<String, Supplier<List<JsonNode>>> sources = sources(runtime, fileRelativePath);
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        while (true) {
            for (var source : sources.entrySet()) {
                if (found.containsKey(source.getKey())) {
                    continue;
                }
                List<JsonNode> records = source.getValue().get();
                sizes.put(source.getKey(), records.size());
                records.stream().filter(matching).findFirst().ifPresent(r -> found.put(source.getKey(), r));
            }
            if (found.size() == sources.size()) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("audit record " + what + " not in every sink within " + timeout
                        + ": found in " + found.keySet() + "; records per sink " + sizes);
            }
            pause(200);
        }
    }

    /**
     * Polls until every key in {@code expected} is among the keys the sink's records map to; returns how many
     * distinct records matched each key, per sink. Fails listing what is missing.
     */
    public Map<String, Map<String, List<String>>> awaitAllInEach(KeycloakRuntime runtime, String fileRelativePath,
                                                                   String what, java.util.Collection<String> expected,
                                                                   Function<JsonNode, String> key, Duration timeout) {
        Map<String, Supplier<List<JsonNode>>> sources = sources(runtime, fileRelativePath);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Map<String, List<String>>> idsByKeyPerSink = new LinkedHashMap<>();
            Map<String, Integer> missing = new LinkedHashMap<>();
            for (var source : sources.entrySet()) {
                Map<String, List<String>> idsByKey = new LinkedHashMap<>();
                for (JsonNode r : source.getValue().get()) {
                    String k = key.apply(r);
                    if (k != null && !k.isEmpty()) {
                        List<String> ids = idsByKey.computeIfAbsent(k, x -> new ArrayList<>());
                        String id = r.path("id").asText();
                        if (!ids.contains(id)) {
                            ids.add(id);
                        }
                    }
                }
                idsByKeyPerSink.put(source.getKey(), idsByKey);
                long absent = expected.stream().filter(e -> !idsByKey.containsKey(e)).count();
                if (absent > 0) {
                    missing.put(source.getKey(), (int) absent);
                }
            }
            if (missing.isEmpty()) {
                return idsByKeyPerSink;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not every one of " + expected.size() + " records arrived within "
                        + timeout + "; missing per sink " + missing);
            }
            pause(300);
        }
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        synchronized (kafkaLock) {
            if (consumer != null) {
                consumer.close(Duration.ofSeconds(2));
            }
        }
        http.close();
        kafka.close();
        syslog.close();
    }
}
