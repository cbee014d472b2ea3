package io.mintgate.audit.ship;

import io.mintgate.audit.chain.ChainId;
import io.mintgate.audit.options.OptionValues;
import io.mintgate.audit.spool.SpoolEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * Produces each CloudEvent to a topic with an idempotent producer ({@code enable.idempotence=true},
 * {@code acks=all}), keyed by the spool's chain id: the records of one chain stay in one partition, in chain order,
 * so a consumer can verify them as they come (keyed by subject, one chain was spread over all partitions). A batch
 * counts as shipped only when every send is acknowledged.
 */
public final class KafkaSink implements Sink {
    /** {@code kafka-property-<name>}: a producer property, dots written as dashes. */
    public static final String PROPERTY_PREFIX = "kafka-property-";
    public static final SinkType TYPE = new SinkType("kafka", Set.of("kafka-bootstrap-servers", "kafka-topic",
            "kafka-compression", "kafka-properties-file"), Set.of(PROPERTY_PREFIX), Settings::read);
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[a-zA-Z0-9._-]+):(\\d{1,5})");

    private final Settings options;
    private final KafkaProducer<byte[], byte[]> producer;
    /** Every record of a spool has the same key; encoded once. */
    private final byte[] key;

    public KafkaSink(Settings options, ChainId chain) {
        this.options = options;
        this.key = chain.value().getBytes(StandardCharsets.UTF_8);
        Properties props = new Properties();
        // Bounded waits: the shipper thread should notice a dead broker and back off, not hang for minutes.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.putAll(options.properties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Only codecs without native libraries survive relocation into the provider jar.
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, options.compression() == null ? "none" : options.compression());
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "mintgate-audit");
        // Kafka resolves some classes through the context class loader; in Keycloak that is not the provider's loader.
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(KafkaSink.class.getClassLoader());
        try {
            this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void send(List<SpoolEntry> batch) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        for (SpoolEntry e : batch) {
            acks.add(producer.send(new ProducerRecord<>(options.topic(), key, e.payload())));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    /** The key of every record this sink sends. */
    byte[] key() {
        return key.clone();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }

    /**
     * The brokers, topic, compression and extra producer properties (TLS, SASL ...), checked as the producer itself
     * would check them, but at start and without a broker.
     *
     * @param properties extra producer properties, passed through as-is; may hold passwords, so toString shows only
     *                   their names
     */
    public record Settings(String bootstrapServers, String topic, String compression, Map<String, String> properties)
            implements SinkSettings {
        public Settings {
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }

        @Override
        public String name() {
            return TYPE.name();
        }

        @Override
        public Sink open(ChainId chain) {
            return new KafkaSink(this, chain);
        }

        @Override
        public String toString() {
            return "KafkaSink.Settings[bootstrapServers=" + bootstrapServers + ", topic=" + topic + ", compression="
                    + compression + ", properties=" + properties.keySet() + "]";
        }

        static Settings read(OptionValues o, boolean enabled, Path spoolDir) {
            String bootstrap = o.text("kafka-bootstrap-servers");
            String topic = o.text("kafka-topic", "mintgate-audit");
            String compression = o.choice("kafka-compression", "none", List.of("none", "gzip"));
            Map<String, String> properties = properties(o);
            if (bootstrap == null) {
                if (enabled) {
                    o.missing("kafka-bootstrap-servers", "the kafka sink is in 'sinks' and needs host:port of the brokers");
                }
                return null;
            }
            boolean valid = true;
            for (String server : bootstrap.split(",")) {
                var m = HOST_PORT.matcher(server.trim());
                if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
                    valid = false;
                }
            }
            if (!valid) {
                o.problem("kafka-bootstrap-servers", bootstrap, "a comma-separated list of host:port with ports from 1 to 65535");
            }
            if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                o.problem("kafka-topic", topic, "a Kafka topic name: 1 to 249 of a-z, A-Z, 0-9, '.', '_', '-'");
            }
            if (properties != null && valid) {
                checkAsTheProducerWould(o, bootstrap, properties);
            }
            return new Settings(bootstrap, topic, compression, properties == null ? Map.of() : properties);
        }

        /**
         * Producer properties from {@code kafka-properties-file} (a Java properties file: the dependable way, since it
         * keeps dots and needs no option enumeration) and from {@code kafka-property-<name>} options, where dashes in
         * {@code <name>} become dots ({@code kafka-property-security-protocol=SSL} -> {@code security.protocol=SSL}).
         * Unknown producer property names are problems. Null when the file cannot be read.
         */
        static Map<String, String> properties(OptionValues o) {
            Map<String, String> props = new LinkedHashMap<>();
            Path file = o.path("kafka-properties-file");
            if (file != null) {
                java.util.Properties p = new java.util.Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    p.load(in);
                } catch (IOException | IllegalArgumentException e) {
                    o.problem("kafka-properties-file", file.toString(), "a readable Java properties file ("
                            + e.getClass().getSimpleName() + ")");
                    return null;
                }
                for (String name : p.stringPropertyNames()) {
                    if (!ProducerConfig.configNames().contains(name)) {
                        o.problem("kafka-properties-file", file.toString(), "Kafka producer properties only; '" + name
                                + "' is not one");
                    }
                    props.put(name, p.getProperty(name));
                }
            }
            for (String option : o.names()) {
                if (option.startsWith(PROPERTY_PREFIX)) {
                    String value = o.text(option);
                    String name = option.substring(PROPERTY_PREFIX.length()).replace('-', '.')
                            .toLowerCase(Locale.ROOT);
                    if (!ProducerConfig.configNames().contains(name)) {
                        o.problem(option, "...", "kafka-property-<name> with a Kafka producer property as <name> "
                                + "(dots written as dashes); '" + name + "' is not one");
                    } else if (value != null) {
                        props.put(name, value);
                    }
                }
            }
            return props;
        }

        /** Parses the properties with the producer's own definitions: wrong types and values fail here, not later. */
        private static void checkAsTheProducerWould(OptionValues o, String bootstrap, Map<String, String> properties) {
            Map<String, Object> all = new HashMap<>(properties);
            all.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            all.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            all.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            // As in KafkaSink: class-valued properties resolve through the context class loader.
            Thread current = Thread.currentThread();
            ClassLoader previous = current.getContextClassLoader();
            current.setContextClassLoader(KafkaSink.class.getClassLoader());
            try {
                ProducerConfig.configDef().parse(all);
            } catch (ConfigException e) {
                String message = String.valueOf(e.getMessage());
                for (Map.Entry<String, String> p : properties.entrySet()) {
                    ConfigDef.ConfigKey key = ProducerConfig.configDef().configKeys().get(p.getKey());
                    if (key != null && key.type == ConfigDef.Type.PASSWORD && p.getValue() != null) {
                        message = message.replace(p.getValue(), "(hidden)");
                    }
                }
                o.problem("kafka-property-*", "...", "producer properties Kafka accepts; " + message);
            } finally {
                current.setContextClassLoader(previous);
            }
        }
    }
}
