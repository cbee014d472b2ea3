package io.mintgate.audit.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.chain.ChainId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the pipeline writes is what the published schema (docs/audit-schema.md) promises consumers. */
class RecordSchemaTest {
    @TempDir
    Path dir;

    @Test
    void everyKindOfRecordThePipelineShipsConformsToThePublishedSchema() throws Exception {
        try (AuditPipeline pipeline = AuditPipeline.start(TestRecords.options(dir).toBuilder().checkpoints(2, 0, null).build(),
                new SimpleMeterRegistry())) {
            pipeline.append(TestRecords.issued("orders-svc"));
            pipeline.append(denied());
            pipeline.append(nhiChanged());
            pipeline.append(revoked());
        }
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8)) {
            records.add(RecordJson.parse(line.getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(records).extracting(r -> r.path("type").asText()).contains(RecordType.TOKEN_ISSUED,
                RecordType.TOKEN_DENIED, RecordType.NHI_CHANGED, RecordType.TOKEN_REVOKED, RecordType.CHECKPOINT);
        String chain = Files.readString(dir.resolve(ChainId.FILE), StandardCharsets.UTF_8).strip();
        for (JsonNode record : records) {
            assertThat(RecordSchema.problems(record)).as("schema problems of %s", record).isEmpty();
            // Optional in the schema only for the records of older spools: this version writes it in every one.
            assertThat(record.path(RecordJson.EXT_CHAIN).asText()).as("chain id of %s", record).isEqualTo(chain);
            if (RecordType.CHECKPOINT.equals(record.path("type").asText())) {
                assertThat(record.at("/data/chain").asText()).isEqualTo(chain);
            }
        }
    }

    @Test
    void theSchemaRejectsWhatItDoesNotDescribe() throws Exception {
        try (AuditPipeline pipeline = AuditPipeline.start(TestRecords.options(dir), new SimpleMeterRegistry())) {
            pipeline.append(denied());
        }
        String line = Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8).get(0);
        JsonNode good = RecordJson.parse(line.getBytes(StandardCharsets.UTF_8));
        assertThat(RecordSchema.problems(good)).isEmpty();

        ObjectNode unknownMember = good.deepCopy();
        ((ObjectNode) unknownMember.path("data").path("decision")).put("severity", "high");
        assertThat(RecordSchema.problems(unknownMember)).isNotEmpty();

        ObjectNode badHash = good.deepCopy();
        badHash.put("mintgatehash", "not-a-hash");
        assertThat(RecordSchema.problems(badHash)).anyMatch(p -> p.contains("mintgatehash"));

        ObjectNode badChain = good.deepCopy();
        badChain.put(RecordJson.EXT_CHAIN, "node a/1");
        assertThat(RecordSchema.problems(badChain)).anyMatch(p -> p.contains(RecordJson.EXT_CHAIN));

        ObjectNode badTime = good.deepCopy();
        badTime.put("time", "yesterday");
        assertThat(RecordSchema.problems(badTime)).anyMatch(p -> p.contains("time"));
    }

    /** A refusal with every decision member the authorizer reports, and the NHI it was about. */
    private static AuditRecord denied() {
        AccessData data = new AccessData("acme", "ci-runner", null, null, new Actor(null, "ci-runner", "acme", "10.0.0.2"),
                "client_credentials", List.of("deploy"), List.of(), null, null, "10.0.0.2", "ev-2",
                "CLIENT_LOGIN_ERROR", "access_denied",
                new Decision("d-2", "team-check", "policy_error", "enforce", "deny", "sha256:0123456789abcdef",
                        "scope:-payments:write", List.of("watch:would_block"), List.of("team-check")),
                null, Map.of("grant_type", "client_credentials"), NhiFacts.of("alice", "2027-06-30T00:00:00Z", "CI"));
        return new AuditRecord("kc-ev-2", RecordType.TOKEN_DENIED, "/realms/acme", Instant.now().toString(),
                "ci-runner", data);
    }

    private static AuditRecord nhiChanged() {
        AccessData data = new AccessData("acme", "ci-runner", null, null, new Actor("admin-1", "admin-cli", "master",
                "10.0.0.3"), null, null, null, null, null, "10.0.0.3", "adm-1", "ADMIN_UPDATE", null, null,
                new AdminResource("CLIENT", "UPDATE", "clients/8f1c", "8f1c", true, true), Map.of(),
                NhiFacts.of("alice", null, "CI"));
        return new AuditRecord("kc-admin-adm-1", RecordType.NHI_CHANGED, "/realms/acme", Instant.now().toString(),
                "8f1c", data);
    }

    private static AuditRecord revoked() {
        AccessData data = new AccessData("acme", "ci-runner", null, null, null, null, null, null, null, null, null,
                null, "ADMIN_DELETE", null, null, null, Map.of("reason", "owner_deleted", "revoked_client", "ci-runner"),
                NhiFacts.of("alice", null, null));
        return new AuditRecord("rev-1", RecordType.TOKEN_REVOKED, "/realms/acme", Instant.now().toString(),
                "ci-runner", data);
    }
}
