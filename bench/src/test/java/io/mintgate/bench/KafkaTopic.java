package io.mintgate.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** How many records the benchmark's audit topic holds: the sum of its partitions' end offsets (nothing is consumed). */
final class KafkaTopic {

    private KafkaTopic() {
    }

    /**
     * The topic's record count once it holds at least {@code expectedAtLeast} and stopped growing, or whatever it holds
     * after 60 s: the shipper sends asynchronously, and a shortfall is what the report must show, not hide.
     */
    static long awaitRecords(String bootstrapServers, String topic, long expectedAtLeast) throws InterruptedException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            long previous = -1;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                long now = count(consumer, topic);
                if (now >= expectedAtLeast && now == previous || System.nanoTime() > deadline) {
                    return now;
                }
                previous = now;
                Thread.sleep(1000);
            }
        }
    }

    private static long count(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
        return ends.values().stream().mapToLong(Long::longValue).sum();
    }
}
