package io.mintgate.authorizer.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request read back from an audit record ({@link RequestCapture}) for a replay: the facts it captured as they
 * were, and each fact it did not capture whole (listed under {@code partial}) as a deferred value that, when a rule
 * reads what is missing, records the read in {@link #misses()} and answers empty. A decision that read a missing
 * fact is not a faithful replay, and the caller can tell.
 *
 * <p>Not thread-safe: one per replayed record, decided once.
 */
public final class CapturedRequest {

    private IssuanceRequest request;
    private final Set<String> misses = new LinkedHashSet<>(2);

    private CapturedRequest() {
    }

    /** Reads captures as IssuanceRequestJson does, with {@code partial} (read apart, see {@link #read(String)}) ignored. */
    private static final ObjectReader REQUESTS = JsonMapper.builder()
            .addModule(new SimpleModule().addDeserializer(Instant.class, new FromStringDeserializer<Instant>(Instant.class) {
                @Override
                protected Instant _deserialize(String value, DeserializationContext ctxt) {
                    return Instant.parse(value);
                }
            }))
            .addMixIn(IssuanceRequest.class, IgnorePartial.class)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build().readerFor(IssuanceRequest.class);

    @JsonIgnoreProperties(RequestCapture.PARTIAL)
    private interface IgnorePartial {
    }

    /** @throws IllegalArgumentException when {@code json} is not a capture */
    static CapturedRequest read(String json) {
        try {
            IssuanceRequest request = REQUESTS.readValue(json);
            CapturedRequest captured = new CapturedRequest();
            if (json.startsWith("{\"" + RequestCapture.PARTIAL + "\":")) {
                try (JsonParser parser = REQUESTS.createParser(json)) {
                    parser.nextToken(); // the capture
                    parser.nextToken(); // "partial"
                    parser.nextToken();
                    JsonNode partial = parser.readValueAsTree();
                    Iterator<Map.Entry<String, JsonNode>> facts = partial.fields();
                    while (facts.hasNext()) {
                        Map.Entry<String, JsonNode> fact = facts.next();
                        request = captured.withPartial(request, fact.getKey(), fact.getValue());
                    }
                }
            }
            captured.request = request;
            return captured;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a captured request: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException naming the member that could not be read */
    static CapturedRequest read(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("must be a JSON object");
        }
        ObjectNode copy = ((ObjectNode) json).deepCopy();
        JsonNode partial = copy.remove(RequestCapture.PARTIAL);
        // A capture always has its time; EPOCH only guards a hand-made one.
        IssuanceRequest request = IssuanceRequestJson.read(copy, Instant.EPOCH);
        CapturedRequest captured = new CapturedRequest();
        if (partial != null && partial.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> facts = partial.fields();
            while (facts.hasNext()) {
                Map.Entry<String, JsonNode> fact = facts.next();
                request = captured.withPartial(request, fact.getKey(), fact.getValue());
            }
        }
        captured.request = request;
        return captured;
    }

    public IssuanceRequest request() {
        return request;
    }

    /** The facts not captured that the decision read (paths such as {@code client.roles}), in reading order. */
    public Set<String> misses() {
        return misses;
    }

    /** The request with the fact at {@code path} ({@code variable.field}) replaced by a deferred value that tracks misses. */
    private IssuanceRequest withPartial(IssuanceRequest request, String path, JsonNode keysCaptured) {
        int dot = path.indexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("partial: '" + path + "' is no variable.field path");
        }
        String variable = path.substring(0, dot);
        String field = path.substring(dot + 1);
        Record owner = (Record) component(request, variable);
        Object current = component(owner, field);
        Object tracking;
        if (current instanceof List<?>) {
            tracking = DeferredList.of(() -> {
                missed(path);
                return List.of();
            });
        } else if (current instanceof Map<?, ?> known) {
            List<String> keys = new ArrayList<>();
            keysCaptured.forEach(k -> keys.add(k.asText()));
            tracking = DeferredMap.ofKeyed(key -> {
                if (keys.contains(key)) {
                    Object value = known.get(key);
                    return value == null ? null : String.valueOf(value);
                }
                missed(path);
                return null;
            }, () -> {
                missed(path);
                @SuppressWarnings("unchecked")
                Map<String, String> some = (Map<String, String>) known;
                return some;
            });
        } else {
            throw new IllegalArgumentException("partial: '" + path + "' is not a list or map fact");
        }
        return (IssuanceRequest) with(request, variable, with(owner, field, tracking));
    }

    private void missed(String path) {
        misses.add(path);
    }

    private static Object component(Record record, String name) {
        RecordShape shape = RecordShape.of(record.getClass());
        int index = shape.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("partial: no fact '" + name + "' in " + record.getClass().getSimpleName());
        }
        return shape.get(record, index);
    }

    /** A copy of {@code record} with one component replaced. */
    private static Record with(Record record, String name, Object value) {
        RecordShape shape = RecordShape.of(record.getClass());
        return shape.with(record, shape.indexOf(name), value);
    }
}
