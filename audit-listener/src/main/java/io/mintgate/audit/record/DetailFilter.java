package io.mintgate.audit.record;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides which Keycloak event details may enter an audit record. Two layers, because either alone is fragile:
 * an allow-list of detail keys (new Keycloak details stay out until someone reviews them), and a credential sniffer on
 * keys and values (an allowed key can still carry a token, e.g. a redirect_uri with {@code #access_token=}).
 */
public final class DetailFilter {

    /** Keycloak detail keys (see org.keycloak.events.Details) that identify or explain an event without being secrets. */
    public static final Set<String> ALLOWED_KEYS = Set.of(
            "auth_method", "auth_type", "redirect_uri", "response_type", "response_mode", "grant_type",
            "client_auth_method", "token_type", "refresh_token_type", "refresh_token_id", "updated_refresh_token_id",
            "token_id", "scope", "audience", "reason", "requested_token_type", "requested_subject", "requested_issuer",
            "subject_token_client_id", "identity_provider", "code_id", "consent", "impersonator",
            "impersonator_realm", "not_before", "username", "client_assertion_issuer", "client_assertion_sub",
            "client_assertion_id", "client_jwt_kid", "access_token_expiration_time", "granted_client",
            "revoked_client", "authentication_error_detail", "client_policy_error", "client_policy_error_detail",
            "org_id", "permission", "token_issued_for", "refresh_token_sub", "verifiable_credential_format",
            "age_of_refresh_token", "signature_algorithm", "logout_triggered_by_action_token",
            // Mintgate's own: the decided request and an allow's obligations, for replay (never a secret)
            DecisionDetailKeys.REQUEST, DecisionDetailKeys.OBLIGATIONS);

    private static final Pattern SECRET_KEY = Pattern.compile(
            "password|passwd|secret|assertion$|^code$|authorization|cookie|otp|credential_value|"
                    + "(^|_)(access|id|refresh|bearer|subject|actor)_token$|^token$|private|api_?key");
    /** JWS/JWE compact serialisations, HTTP auth schemes, and URL parameters that carry credentials. */
    static final Pattern SECRET_VALUE = Pattern.compile(
            "(?i)^eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*\\.|^(bearer|basic|dpop)\\s|"
                    + "[?#&](code|access_token|id_token|refresh_token|token|password|client_secret|assertion|"
                    + "client_assertion|subject_token|state)=");

    /** The allow-list minus keys that look like credentials: decided once here instead of per detail per event. */
    private static final Set<String> ALLOWED_NON_CREDENTIAL_KEYS = ALLOWED_KEYS.stream()
            .filter(key -> !looksLikeCredentialKey(key)).collect(Collectors.toUnmodifiableSet());

    private DetailFilter() {
    }

    /** Keeps allow-listed, non-credential details; strips query and fragment from URIs. */
    public static Map<String, String> filter(Map<String, String> details) {
        Map<String, String> kept = new LinkedHashMap<>();
        if (details == null) {
            return kept;
        }
        details.forEach((key, value) -> {
            String cleaned = keptValue(key, value);
            if (cleaned != null) {
                kept.put(key, cleaned);
            }
        });
        return kept;
    }

    /**
     * What {@link #filter} keeps for one detail: the value (query and fragment stripped from URIs), or null when the
     * detail stays out. For callers that walk the details once for other reasons too.
     */
    public static String keptValue(String key, String value) {
        if (key == null || value == null || !ALLOWED_NON_CREDENTIAL_KEYS.contains(key)) {
            return null;
        }
        String cleaned = key.endsWith("_uri") ? stripQueryAndFragment(value) : value;
        return looksLikeCredentialValue(cleaned) ? null : cleaned;
    }

    public static boolean looksLikeCredentialKey(String key) {
        return SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).find();
    }

    public static boolean looksLikeCredentialValue(String value) {
        return value != null && mayLookLikeCredential(value) && SECRET_VALUE.matcher(value.trim()).find();
    }

    /**
     * False only when {@link #SECRET_VALUE} cannot match, checked without allocating: every alternative needs either a
     * {@code ?}, {@code #} or {@code &} somewhere, or (after trimming) a start of {@code eyJ}, {@code bearer},
     * {@code basic} or {@code dpop} in any case. Most details (ids, scopes, client ids) pass no regex at all; a first
     * letter alone let every id starting with b, d or e through to the regex, which showed in the server's profile.
     */
    static boolean mayLookLikeCredential(String value) {
        int first = -1;
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == '?' || c == '#' || c == '&') {
                return true;
            }
            if (first < 0 && c > ' ') {
                first = i;
            }
        }
        if (first < 0) {
            return false;
        }
        // The first letter picks the prefixes worth a case-insensitive compare (four of those per value showed in the
        // profile). Exact: no character but these two case-folds to e, b or d (DetailFilterTest checks every char).
        return switch (value.charAt(first)) {
            case 'e', 'E' -> value.regionMatches(true, first, "eyJ", 0, 3);
            case 'b', 'B' -> value.regionMatches(true, first, "bearer", 0, 6)
                    || value.regionMatches(true, first, "basic", 0, 5);
            case 'd', 'D' -> value.regionMatches(true, first, "dpop", 0, 4);
            default -> false;
        };
    }

    /** A single value read from a detail we need for a typed field (e.g. scope): null when it looks like a secret. */
    public static String safeValue(Map<String, String> details, String key) {
        if (details == null) {
            return null;
        }
        String value = details.get(key);
        return looksLikeCredentialValue(value) ? null : value;
    }

    static String stripQueryAndFragment(String uri) {
        int cut = uri.length();
        int q = uri.indexOf('?');
        int h = uri.indexOf('#');
        if (q >= 0) {
            cut = Math.min(cut, q);
        }
        if (h >= 0) {
            cut = Math.min(cut, h);
        }
        return uri.substring(0, cut);
    }
}
