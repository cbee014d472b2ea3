package io.mintgate.audit.keycloak;

import io.mintgate.audit.record.DecisionDetailKeys;
import io.mintgate.audit.record.DetailFilter;

import java.util.Arrays;
import java.util.Map;

/**
 * What {@link EventRecordMapper} reads from a Keycloak event's details, gathered in one pass over them: the details
 * that may enter the record ({@link DetailFilter}'s choice), the values of the typed record fields, and whether any
 * Mintgate decision key is there. The mapper used to walk the details once to filter them, once more for a decision
 * key, look each typed value up again and check the credential-looking ones a second time; on a busy token endpoint
 * those passes showed in the CPU profile. Each field holds what the mapper read before: {@code details.get(key)}
 * (raw) or {@code DetailFilter.safeValue(details, key)} (safe).
 */
final class EventDetails {
    /**
     * {@code DetailFilter.filter(details)} as the immutable map {@code Map.copyOf} made of it: built from the kept
     * entries in the details' iteration order, the way {@code Map.copyOf} builds it, so the record's {@code details}
     * iterate (and are written to the payload) in the same order; {@code AccessData} does not copy it again.
     */
    Map<String, String> kept = Map.of();
    boolean decisionKey;
    // raw
    String grantType;
    String responseType;
    String expiration;
    String decisionId;
    String rule;
    String mode;
    String outcome;
    String policyVersion;
    String narrowed;
    String shadowDenials;
    String ruleErrors;
    String nhiOwner;
    String nhiExpiresAt;
    // safe
    String username;
    String scope;
    String audience;
    String tokenId;
    String reason;
    String nhiPurpose;

    private EventDetails() {
    }

    static EventDetails read(Map<String, String> details) {
        EventDetails d = new EventDetails();
        if (details == null || details.isEmpty()) {
            return d;
        }
        @SuppressWarnings("unchecked")
        Map.Entry<String, String>[] kept = new Map.Entry[details.size()];
        int count = 0;
        for (Map.Entry<String, String> entry : details.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            String cleaned = DetailFilter.keptValue(key, value);
            if (cleaned != null) {
                kept[count++] = Map.entry(key, cleaned);
            }
            if (key != null) {
                d.take(key, value, cleaned);
            }
        }
        if (count > 0) {
            // What Map.copyOf does with a mutable map: Map.ofEntries over its entries, in their iteration order.
            d.kept = Map.ofEntries(count == kept.length ? kept : Arrays.copyOf(kept, count));
        }
        return d;
    }

    /** @param cleaned what the filter keeps of this detail, or null */
    private void take(String key, String value, String cleaned) {
        if (DecisionDetailKeys.isDecisionKey(key)) {
            decisionKey = true;
        }
        switch (key) {
            case "grant_type" -> grantType = value;
            case "response_type" -> responseType = value;
            case "access_token_expiration_time" -> expiration = value;
            case "username" -> username = safe(value, cleaned);
            case "scope" -> scope = safe(value, cleaned);
            case "audience" -> audience = safe(value, cleaned);
            case "token_id" -> tokenId = safe(value, cleaned);
            case DecisionDetailKeys.DECISION_ID -> decisionId = value;
            case DecisionDetailKeys.RULE -> rule = value;
            case DecisionDetailKeys.REASON -> reason = safe(value, cleaned);
            case DecisionDetailKeys.MODE -> mode = value;
            case DecisionDetailKeys.OUTCOME -> outcome = value;
            case DecisionDetailKeys.POLICY_VERSION -> policyVersion = value;
            case DecisionDetailKeys.NARROWED -> narrowed = value;
            case DecisionDetailKeys.SHADOW_DENIALS -> shadowDenials = value;
            case DecisionDetailKeys.RULE_ERRORS -> ruleErrors = value;
            case DecisionDetailKeys.NHI_OWNER -> nhiOwner = value;
            case DecisionDetailKeys.NHI_PURPOSE -> nhiPurpose = safe(value, cleaned);
            case DecisionDetailKeys.NHI_EXPIRES_AT -> nhiExpiresAt = value;
            default -> {
            }
        }
    }

    /**
     * {@code DetailFilter.safeValue}: the value unless it looks like a credential. When the filter kept the value
     * unchanged it has just passed that very check, so it is not run twice.
     */
    private static String safe(String value, String cleaned) {
        if (cleaned != null && cleaned == value) { // the same instance: kept as it was
            return value;
        }
        return DetailFilter.looksLikeCredentialValue(value) ? null : value;
    }
}
