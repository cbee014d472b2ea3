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
import java.util.ArrayList;
import java.util.List;

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
            pipeline.append(TestRecords.denied());
            pipeline.append(TestRecords.nhiChanged());
            pipeline.append(TestRecords.revoked());
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
            pipeline.append(TestRecords.denied());
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
}
