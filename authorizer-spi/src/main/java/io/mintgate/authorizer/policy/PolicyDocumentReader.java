package io.mintgate.authorizer.policy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Parses policy JSON strictly: duplicate keys and trailing garbage are errors; // comments are tolerated. */
final class PolicyDocumentReader {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private PolicyDocumentReader() {
    }

    /** The document's root, or null after recording a syntax problem with its line and column. */
    static JsonNode read(String source, Problems problems) {
        try {
            JsonNode root = MAPPER.readTree(source);
            if (root == null || root.isMissingNode()) {
                problems.add("", null, 1, 1, "policy is empty; use {\"rules\": []} for a policy that allows everything");
                return null;
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            String message = e instanceof JsonParseException ? "invalid JSON: " + e.getOriginalMessage()
                    : "invalid JSON: " + e.getOriginalMessage();
            problems.add("", null, line, column, message);
            return null;
        }
    }

    /** A value (an obligation's claims, say) as a JSON tree, for comparing with JSON written by hand. */
    static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
