package io.mintgate.audit;

import io.mintgate.audit.record.AccessData;
import io.mintgate.audit.record.Actor;
import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.record.Decision;
import io.mintgate.audit.record.RecordType;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Realistic records for tests. */
public final class TestRecords {
    private TestRecords() {
    }

    public static AuditRecord issued(String clientId) {
        AccessData data = new AccessData("acme", clientId, "user-1", "alice", new Actor(null, clientId, "acme", "10.0.0.1"),
                "client_credentials", List.of("openid", "orders:read"), List.of("orders-api"), "jti-" + UUID.randomUUID(),
                null, "10.0.0.1", UUID.randomUUID().toString(), "CLIENT_LOGIN", null,
                new Decision("d-1", "rule-7", "within policy", "enforce", "allow", "v3", null, List.of(), List.of()), null,
                Map.of("client_auth_method", "client-secret"));
        return new AuditRecord(UUID.randomUUID().toString(), RecordType.TOKEN_ISSUED, "/realms/acme",
                Instant.now().toString(), "user-1", data);
    }

    /** Options for a test pipeline in {@code dir}: file sink only, fast backoff, checkpoints off unless asked. */
    public static AuditOptions options(Path dir) {
        return AuditOptions.builder(dir).checkpoints(0, 0, null).backoff(10, 200).build();
    }
}
