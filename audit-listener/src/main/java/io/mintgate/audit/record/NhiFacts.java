package io.mintgate.audit.record;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The non-human identity facts of a changed client as saved: its {@code mintgate.owner}, {@code mintgate.expires-at}
 * and {@code mintgate.purpose} attributes. Read from the client itself, never from the admin representation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NhiFacts(String owner, String expiresAt, String purpose) {

    public static final String OWNER = "mintgate.owner";
    public static final String EXPIRES_AT = "mintgate.expires-at";
    public static final String PURPOSE = "mintgate.purpose";

    /** Null when the client carries none of the three, so the record has no empty {@code nhi} member. */
    public static NhiFacts of(String owner, String expiresAt, String purpose) {
        return owner == null && expiresAt == null && purpose == null ? null : new NhiFacts(owner, expiresAt, purpose);
    }
}
