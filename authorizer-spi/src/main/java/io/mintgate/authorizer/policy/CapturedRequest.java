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
import java.util.LinkedHashMap;
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
                    request = captured.withPartial(request, parser.readValueAsTree());
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
            request = captured.withPartial(request, partial);
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

    /**
     * The request with each fact {@code partial} names ({@code variable.field}) replaced by a deferred value that
     * tracks misses; each variable's record and the request are rebuilt once, however many of their facts are partial.
     */
    private IssuanceRequest withPartial(IssuanceRequest request, JsonNode partial) {
        RecordShape top = RecordShape.of(IssuanceRequest.class);
        Object[] variables = null;
        Map<Integer, Object[]> owners = new LinkedHashMap<>(4);
        Iterator<Map.Entry<String, JsonNode>> facts = partial.fields();
        while (facts.hasNext()) {
            Map.Entry<String, JsonNode> fact = facts.next();
            String path = fact.getKey();
            int dot = path.indexOf('.');
            int variable = dot <= 0 ? -1 : top.indexOf(path.substring(0, dot));
            if (variable < 0) {
                throw new IllegalArgumentException("partial: '" + path + "' is no variable.field path");
            }
            variables = variables == null ? top.values(request) : variables;
            if (!(variables[variable] instanceof Record owner)) {
                throw new IllegalArgumentException("partial: '" + path + "' is not a fact of a struct variable");
            }
            RecordShape shape = RecordShape.of(owner.getClass());
            Object[] values = owners.computeIfAbsent(variable, v -> shape.values(owner));
            int field = shape.indexOf(path.substring(dot + 1));
            if (field < 0) {
                throw new IllegalArgumentException("partial: no fact '" + path + "'");
            }
            values[field] = tracking(path, values[field], fact.getValue());
        }
        if (variables == null) {
            return request;
        }
        for (Map.Entry<Integer, Object[]> owner : owners.entrySet()) {
            variables[owner.getKey()] = RecordShape.of(variables[owner.getKey()].getClass()).construct(owner.getValue());
        }
        return (IssuanceRequest) top.construct(variables);
    }

    /** A deferred list or map in place of {@code current} that records a read of what was not captured. */
    private Object tracking(String path, Object current, JsonNode keysCaptured) {
        if (current instanceof List<?>) {
            return DeferredList.of(() -> {
                missed(path);
                return List.of();
            });
        }
        if (current instanceof Map<?, ?> known) {
            List<String> keys = new ArrayList<>();
            keysCaptured.forEach(k -> keys.add(k.asText()));
            return DeferredMap.ofKeyed(key -> {
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
        }
        throw new IllegalArgumentException("partial: '" + path + "' is not a list or map fact");
    }

    private void missed(String path) {
        misses.add(path);
    }
}
