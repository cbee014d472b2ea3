package io.mintgate.audit.keycloak;

import io.mintgate.audit.ship.KafkaSinkOptions;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The Kafka sink's options, checked as the producer itself would check them, but at start and without a broker. */
final class KafkaOptions {
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[a-zA-Z0-9._-]+):(\\d{1,5})");

    static final Set<String> NAMES = Set.of("kafka-bootstrap-servers", "kafka-topic", "kafka-compression",
            "kafka-properties-file");

    private KafkaOptions() {
    }

    static KafkaSinkOptions read(OptionValues o, boolean enabled, Path spoolDir) {
        String bootstrap = o.text("kafka-bootstrap-servers");
        String topic = o.text("kafka-topic", "mintgate-audit");
        String compression = o.choice("kafka-compression", "none", java.util.List.of("none", "gzip"));
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
        return new KafkaSinkOptions(bootstrap, topic, compression, properties == null ? Map.of() : properties);
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
            if (option.startsWith(AuditOptionsReader.KAFKA_PROPERTY_PREFIX)) {
                String value = o.text(option);
                String name = option.substring(AuditOptionsReader.KAFKA_PROPERTY_PREFIX.length()).replace('-', '.')
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
        current.setContextClassLoader(KafkaOptions.class.getClassLoader());
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
