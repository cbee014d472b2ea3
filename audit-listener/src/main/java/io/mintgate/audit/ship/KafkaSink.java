package io.mintgate.audit.ship;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.audit.record.RecordJson;
import io.mintgate.audit.spool.SpoolEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;

/**
 * Produces each CloudEvent to a topic with an idempotent producer ({@code enable.idempotence=true},
 * {@code acks=all}), keyed by the record subject (else the realm) so one subject's records stay ordered in one
 * partition. A batch counts as shipped only when every send is acknowledged.
 */
public final class KafkaSink implements Sink {
    private final KafkaSinkOptions options;
    private final KafkaProducer<byte[], byte[]> producer;

    public KafkaSink(KafkaSinkOptions options) {
        this.options = options;
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
            acks.add(producer.send(new ProducerRecord<>(options.topic(), key(e.payload()), e.payload())));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    /**
     * The record's subject, or else its realm ({@code data.realm}), or else its source. Read with a streaming parser
     * that stops at the first non-empty subject (the spool writer puts it before {@code data}): the shipper does this
     * for every record, and a JSON tree of the whole record cost more than the send. Same result as
     * {@link #keyFromTree} for every record the spool writes (no duplicate member names); anything unexpected
     * falls back to it.
     */
    static byte[] key(byte[] payload) {
        String key;
        try {
            key = streamedKey(payload);
        } catch (IOException | RuntimeException unexpected) {
            key = keyFromTree(payload);
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** The key as a JSON tree gives it: the definition {@link #key} must agree with. */
    static String keyFromTree(byte[] payload) {
        JsonNode event = RecordJson.parse(payload);
        String key = event.path("subject").asText("");
        if (key.isEmpty()) {
            key = event.path("data").path("realm").asText(event.path("source").asText(""));
        }
        return key;
    }

    /**
     * The key, read as far as needed. A payload not shaped as the writer writes it (not an object, or a non-string
     * where a string belongs) is refused with a {@link JsonParseException}: the caller then uses the tree.
     */
    static String streamedKey(byte[] payload) throws IOException {
        String source = "";
        String realm = null;
        try (JsonParser parser = RecordJson.MAPPER.getFactory().createParser(payload)) {
            expect(parser, parser.nextToken(), JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "subject" -> {
                        String subject = string(parser, value);
                        if (!subject.isEmpty()) {
                            return subject;
                        }
                    }
                    case "source" -> source = string(parser, value);
                    case "data" -> {
                        expect(parser, value, JsonToken.START_OBJECT);
                        realm = realmOf(parser);
                    }
                    default -> parser.skipChildren();
                }
            }
        }
        return realm != null ? realm : source;
    }

    /** The rest of the {@code data} object the parser is in: its realm, null if it has none. */
    private static String realmOf(JsonParser parser) throws IOException {
        String realm = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            boolean isRealm = parser.currentName().equals("realm");
            JsonToken value = parser.nextToken();
            if (isRealm) {
                realm = string(parser, value);
            } else {
                parser.skipChildren();
            }
        }
        return realm;
    }

    private static String string(JsonParser parser, JsonToken value) throws IOException {
        expect(parser, value, JsonToken.VALUE_STRING);
        return parser.getText();
    }

    private static void expect(JsonParser parser, JsonToken actual, JsonToken expected) throws JsonParseException {
        if (actual != expected) {
            throw new JsonParseException(parser, "expected " + expected + ", found " + actual);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
