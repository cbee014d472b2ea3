package io.mintgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class BenchPolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theBaselineIsTheFullPolicyWithOnlyItsObligationsRemoved() throws Exception {
        JsonNode full = JSON.readTree(BenchPolicy.full());
        JsonNode baseline = JSON.readTree(BenchPolicy.withoutObligations(BenchPolicy.full()));

        List<String> withObligations = new ArrayList<>();
        full.get("rules").forEach(r -> {
            if (r.has("obligations")) {
                withObligations.add(r.get("name").asText());
            }
        });
        assertEquals(List.of("r18-narrow-ci", "r19-narrow-audience", "r20-cap"), withObligations);

        baseline.get("rules").forEach(r -> assertFalse(r.has("obligations"), r.get("name").asText()));
        ObjectNode expected = full.deepCopy();
        expected.get("rules").forEach(r -> ((ObjectNode) r).remove("obligations"));
        assertEquals(expected, baseline);
        assertEquals(20, baseline.get("rules").size());
    }

    @Test
    void aPolicyWithoutObligationsCannotBeABaseline() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchPolicy.withoutObligations("{\"rules\": [{\"name\": \"r\", \"reason\": \"x\", \"deny\": \"false\"}]}"));
        assertEquals("no rule of the policy has obligations: nothing to compare", e.getMessage());
    }
}
