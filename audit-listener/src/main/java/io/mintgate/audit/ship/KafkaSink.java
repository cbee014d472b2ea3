package io.mintgate.audit.ship;

import io.mintgate.audit.chain.ChainId;
import io.mintgate.audit.spool.SpoolEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;

/**
 * Produces each CloudEvent to a topic with an idempotent producer ({@code enable.idempotence=true},
 * {@code acks=all}), keyed by the spool's chain id: the records of one chain stay in one partition, in chain order,
 * so a consumer can verify them as they come (keyed by subject, one chain was spread over all partitions). A batch
 * counts as shipped only when every send is acknowledged.
 */
public final class KafkaSink implements Sink {
    private final KafkaSinkOptions options;
    private final KafkaProducer<byte[], byte[]> producer;
    /** Every record of a spool has the same key; encoded once. */
    private final byte[] key;

    public KafkaSink(KafkaSinkOptions options, ChainId chain) {
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
}
