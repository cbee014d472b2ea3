package io.mintgate.audit;

import io.mintgate.audit.record.AccessData;
import io.mintgate.audit.record.AdminResource;
import io.mintgate.audit.record.NhiFacts;
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

    /** A refusal with every decision member the authorizer reports, and the NHI it was about. */
    public static AuditRecord denied() {
        AccessData data = new AccessData("acme", "ci-runner", null, null, new Actor(null, "ci-runner", "acme", "10.0.0.2"),
                "client_credentials", List.of("deploy"), List.of(), null, null, "10.0.0.2", "ev-2",
                "CLIENT_LOGIN_ERROR", "access_denied",
                new Decision("d-2", "team-check", "policy_error", "enforce", "deny", "sha256:0123456789abcdef",
                        "scope:-payments:write", List.of("watch:would_block"), List.of("team-check")),
                null, Map.of("grant_type", "client_credentials"), NhiFacts.of("alice", "2027-06-30T00:00:00Z", "CI"));
        return new AuditRecord("kc-ev-2", RecordType.TOKEN_DENIED, "/realms/acme", Instant.now().toString(),
                "ci-runner", data);
    }

    public static AuditRecord nhiChanged() {
        AccessData data = new AccessData("acme", "ci-runner", null, null, new Actor("admin-1", "admin-cli", "master",
                "10.0.0.3"), null, null, null, null, null, "10.0.0.3", "adm-1", "ADMIN_UPDATE", null, null,
                new AdminResource("CLIENT", "UPDATE", "clients/8f1c", "8f1c", true, true), Map.of(),
                NhiFacts.of("alice", null, "CI"));
        return new AuditRecord("kc-admin-adm-1", RecordType.NHI_CHANGED, "/realms/acme", Instant.now().toString(),
                "8f1c", data);
    }

    public static AuditRecord revoked() {
        AccessData data = new AccessData("acme", "ci-runner", null, null, null, null, null, null, null, null, null,
                null, "ADMIN_DELETE", null, null, null, Map.of("reason", "owner_deleted", "revoked_client", "ci-runner"),
                NhiFacts.of("alice", null, null));
        return new AuditRecord("rev-1", RecordType.TOKEN_REVOKED, "/realms/acme", Instant.now().toString(),
                "ci-runner", data);
    }

    /** Options for a test pipeline in {@code dir}: file sink only, fast backoff, checkpoints off unless asked. */
    public static AuditOptions options(Path dir) {
        return AuditOptions.builder(dir).checkpoints(0, 0, null).backoff(10, 200).build();
    }
}
