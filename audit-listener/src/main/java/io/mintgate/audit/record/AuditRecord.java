package io.mintgate.audit.record;

import java.util.Objects;

/**
 * One audit event before it is chained. The chain attributes (seq, prevHash, hash) are added by the spool writer,
 * because only the single writer knows the order records reach the disk in.
 *
 * @param id      CloudEvents id; stable across shipping retries (Keycloak event id, or generated once at append)
 * @param type    one of {@link RecordType}
 * @param source  {@code /realms/<realm>} (or {@code /mintgate/audit} for checkpoints)
 * @param time    RFC 3339 timestamp, UTC
 * @param subject CloudEvents subject: the user id, else the client id
 */
public record AuditRecord(String id, String type, String source, String time, String subject, RecordData data) {
    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";

    public AuditRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }
}
