package io.mintgate.audit.ship;

import io.mintgate.audit.chain.ChainId;

import java.util.Map;

/**
 * @param properties extra producer properties (TLS/SASL...), passed through as-is; may hold passwords, so toString
 *                   shows only their names
 */
public record KafkaSinkOptions(String bootstrapServers, String topic, String compression, Map<String, String> properties)
        implements SinkSettings {
    public KafkaSinkOptions {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Sink open(ChainId chain) {
        return new KafkaSink(this, chain);
    }

    @Override
    public String toString() {
        return "KafkaSinkOptions[bootstrapServers=" + bootstrapServers + ", topic=" + topic + ", compression="
                + compression + ", properties=" + properties.keySet() + "]";
    }
}
