package io.mintgate.audit.record;

/**
 * Keycloak event detail keys the Mintgate authorizer writes. Mirrored here as plain strings (not imported) so the audit
 * module has no compile-time coupling to the authorizer: the event details are the contract.
 */
public final class DecisionDetailKeys {
    public static final String DECISION_ID = "mintgate_decision_id";
    public static final String RULE = "mintgate_rule";
    public static final String REASON = "mintgate_reason";
    public static final String MODE = "mintgate_mode";
    /** "allow", "deny" or "narrow"; "deny" makes any event a {@code token.denied} record. */
    public static final String OUTCOME = "mintgate_outcome";
    public static final String POLICY_VERSION = "mintgate_policy_version";
    /** "true"/"false". */
    public static final String NARROWED = "mintgate_narrowed";
    /** Comma separated rule ids (a JSON array string is accepted too) that would have denied in shadow mode. */
    public static final String SHADOW_DENIALS = "mintgate_shadow_denials";
    /** Comma separated names of the rules whose evaluation failed (whatever their onError made of it). */
    public static final String RULE_ERRORS = "mintgate_rule_errors";

    /**
     * The request the decision was taken on, as JSON (the policy-test request shape, personal data such as the
     * username and source address included, never a secret), and an allow's obligations: kept in
     * {@code data.details} so that a replay can decide the request again with a draft policy.
     */
    public static final String REQUEST = "mintgate_request";
    public static final String OBLIGATIONS = "mintgate_obligations";

    /** The non-human identity the decision was about: owner username, purpose, expiry (ISO-8601). */
    public static final String NHI_OWNER = "mintgate_nhi_owner";
    public static final String NHI_PURPOSE = "mintgate_nhi_purpose";
    public static final String NHI_EXPIRES_AT = "mintgate_nhi_expires_at";

    private DecisionDetailKeys() {
    }

    public static boolean isDecisionKey(String key) {
        return key != null && key.startsWith("mintgate_");
    }
}
