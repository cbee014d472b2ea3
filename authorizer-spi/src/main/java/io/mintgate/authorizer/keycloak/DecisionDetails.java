package io.mintgate.authorizer.keycloak;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.RuleFinding;

/**
 * The Keycloak event detail keys through which a decision reaches the audit trail. This is the whole contract
 * between the authorizer and the audit listener (which reads the same names, without importing this class):
 * documented in docs/audit-schema.md.
 */
public final class DecisionDetails {

    public static final String DECISION_ID = "mintgate_decision_id";
    public static final String RULE = "mintgate_rule";
    public static final String REASON = "mintgate_reason";
    public static final String MODE = "mintgate_mode";
    public static final String OUTCOME = "mintgate_outcome";
    public static final String POLICY_VERSION = "mintgate_policy_version";
    public static final String NARROWED = "mintgate_narrowed";
    public static final String SHADOW_DENIALS = "mintgate_shadow_denials";

    private DecisionDetails() {
    }

    /** The details of one decision; shadow findings are listed as {@code rule:reason} pairs. */
    public static Map<String, String> of(Decision decision) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put(DECISION_ID, decision.id());
        details.put(OUTCOME, decision.allowed() ? "allow" : "deny");
        put(details, RULE, decision.rule());
        put(details, REASON, decision.reason());
        put(details, MODE, decision.mode() == null ? null : decision.mode().name().toLowerCase());
        put(details, POLICY_VERSION, decision.policyVersion());
        String shadow = decision.findings().stream()
                .filter(f -> !f.error())
                .map(f -> f.rule() + ":" + f.reason())
                .collect(Collectors.joining(","));
        put(details, SHADOW_DENIALS, shadow);
        String errors = decision.findings().stream().filter(RuleFinding::error).map(RuleFinding::rule)
                .collect(Collectors.joining(","));
        if (!errors.isEmpty()) {
            details.put("mintgate_rule_errors", errors);
        }
        return details;
    }

    private static void put(Map<String, String> details, String key, String value) {
        if (value != null && !value.isEmpty()) {
            details.put(key, value);
        }
    }
}
