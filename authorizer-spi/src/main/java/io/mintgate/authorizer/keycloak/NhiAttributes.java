package io.mintgate.authorizer.keycloak;

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

    private NhiAttributes() {
    }
}
