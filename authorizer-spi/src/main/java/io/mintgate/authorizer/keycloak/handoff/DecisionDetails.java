package io.mintgate.authorizer.keycloak.handoff;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

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
    public static final String RULE_ERRORS = "mintgate_rule_errors";
    /** The request as the engine saw it ({@code RequestCapture}): what a replay decides again. Never a secret. */
    public static final String REQUEST = "mintgate_request";
    /** An allow's obligations ({@code ObligationsJson}): what a replay compares a draft's narrowing with. */
    public static final String OBLIGATIONS = "mintgate_obligations";

    private DecisionDetails() {
    }

    /** The details of one decision; shadow findings are listed as {@code rule:reason} pairs. */
    public static Map<String, String> of(Decision decision) {
        Map<String, String> details = new LinkedHashMap<>();
        writeTo(decision, details);
        return details;
    }

    /** Puts the details of one decision into {@code details}, replacing those of an earlier decision. */
    static void writeTo(Decision decision, Map<String, String> details) {
        details.put(DECISION_ID, decision.id());
        details.put(OUTCOME, decision.allowed() ? "allow" : "deny");
        put(details, RULE, decision.rule());
        put(details, REASON, decision.reason());
        put(details, MODE, decision.mode() == null ? null : decision.mode().name().toLowerCase());
        put(details, POLICY_VERSION, decision.policyVersion());
        if (decision.findings().isEmpty()) {
            return; // the common case: no shadow denial, no rule error
        }
        StringJoiner shadow = new StringJoiner(",");
        StringJoiner errors = new StringJoiner(",");
        for (RuleFinding f : decision.findings()) {
            if (f.error()) {
                errors.add(f.rule());
            } else {
                shadow.add(f.rule() + ":" + f.reason());
            }
        }
        put(details, SHADOW_DENIALS, shadow.toString());
        if (errors.length() > 0) {
            details.put(RULE_ERRORS, errors.toString());
        }
    }

    private static void put(Map<String, String> details, String key, String value) {
        if (value != null && !value.isEmpty()) {
            details.put(key, value);
        }
    }
}
