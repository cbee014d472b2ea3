package io.mintgate.audit.record;

/** CloudEvents {@code type} values Mintgate emits. Consumers route on these strings, so they never change once shipped. */
public final class RecordType {
    public static final String TOKEN_ISSUED = "io.mintgate.token.issued";
    public static final String TOKEN_DENIED = "io.mintgate.token.denied";
    public static final String TOKEN_REVOKED = "io.mintgate.token.revoked";
    public static final String NHI_CHANGED = "io.mintgate.nhi.changed";
    public static final String CHECKPOINT = "io.mintgate.audit.checkpoint";

    private RecordType() {
    }
}
