package io.mintgate.authorizer.keycloak.context;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client attributes that make a client a described non-human identity, and the event details that carry them
 * into the audit trail. Documented in docs/nhi-lifecycle.md; the audit listener reads the detail names as plain
 * strings (docs/audit-schema.md).
 */
public final class NhiAttributes {

    /** Username of the realm user who owns (answers for) the identity. */
    public static final String OWNER = "mintgate.owner";
    /** ISO-8601 instant after which no token is minted for the identity. */
    public static final String EXPIRES_AT = "mintgate.expires-at";
    /** Free text: what the identity is for. */
    public static final String PURPOSE = "mintgate.purpose";

    public static final String DETAIL_OWNER = "mintgate_nhi_owner";
    public static final String DETAIL_PURPOSE = "mintgate_nhi_purpose";
    public static final String DETAIL_EXPIRES_AT = "mintgate_nhi_expires_at";

    /** Parsed expiry attributes: the same few strings come back on every mint, and Instant.parse is not cheap. */
    private static final ConcurrentHashMap<String, Instant> EXPIRIES = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_EXPIRIES = 10_000;

    private NhiAttributes() {
    }

    /** What {@link #parseExpiry} returns for a value that is present but not an ISO-8601 instant. */
    public static final Instant UNPARSABLE = Instant.MIN;

    /**
     * The {@link #EXPIRES_AT} value as an instant: null when absent or blank, {@link #UNPARSABLE} when it cannot be
     * read — callers decide what that means (the authorizer: already expired; a claim: nothing to say).
     */
    public static Instant parseExpiry(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant cached = EXPIRIES.get(value);
        if (cached != null) {
            return cached;
        }
        Instant parsed;
        try {
            parsed = Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            parsed = UNPARSABLE;
        }
        if (EXPIRIES.size() >= MAX_CACHED_EXPIRIES) {
            EXPIRIES.clear();
        }
        EXPIRIES.put(value, parsed);
        return parsed;
    }

    /** Expiries as ISO-8601 text for decision details; formatting an Instant costs more than the whole policy now. */
    private static final ConcurrentHashMap<Instant, String> EXPIRY_TEXTS = new ConcurrentHashMap<>();

    /** {@code expiry.toString()}, remembered for the few distinct expiries a realm has. */
    public static String expiryText(Instant expiry) {
        String cached = EXPIRY_TEXTS.get(expiry);
        if (cached != null) {
            return cached;
        }
        String text = expiry.toString();
        if (EXPIRY_TEXTS.size() >= MAX_CACHED_EXPIRIES) {
            EXPIRY_TEXTS.clear();
        }
        EXPIRY_TEXTS.put(expiry, text);
        return text;
    }
}
