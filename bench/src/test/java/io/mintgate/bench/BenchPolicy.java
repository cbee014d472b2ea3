package io.mintgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The benchmark's policy documents. The narrowing comparison's baseline is derived from the full policy at run
 * time rather than kept as a second file, so the two can never differ in anything but the obligations.
 */
final class BenchPolicy {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchPolicy() {
    }

    /** {@code bench/mintgate-policy.json}: the 20-rule policy, three rules with obligations. */
    static String full() {
        return AbBenchmark.resourceText("mintgate-policy.json");
    }

    /**
     * The same document with the {@code obligations} member of every rule removed; rule order, variables and every
     * other field unchanged. Fails when there is nothing to remove: the comparison would then measure nothing.
     */
    static String withoutObligations(String policyJson) {
        JsonNode root;
        try {
            root = JSON.readTree(policyJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode rules = root.path("rules");
        if (!rules.isArray()) {
            throw new IllegalArgumentException("the policy has no 'rules' array");
        }
        int removed = 0;
        for (JsonNode rule : rules) {
            if (rule instanceof ObjectNode object && object.remove("obligations") != null) {
                removed++;
            }
        }
        if (removed == 0) {
            throw new IllegalArgumentException("no rule of the policy has obligations: nothing to compare");
        }
        return root.toString();
    }
}
