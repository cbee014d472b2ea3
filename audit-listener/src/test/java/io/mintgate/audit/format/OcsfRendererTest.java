package io.mintgate.audit.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.record.RecordJson;
import io.mintgate.audit.ship.FileSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The file sink with file-format=ocsf writes each kind of record as the documented OCSF class, schema-valid. */
class OcsfRendererTest {
    @TempDir
    Path dir;

    private List<JsonNode> shipAsOcsf() throws Exception {
        Path ocsfFile = dir.resolve("audit.ocsf.jsonl");
        try (AuditPipeline pipeline = AuditPipeline.start(TestRecords.options(dir).toBuilder()
                .checkpoints(5, 0, null)
                .sinks(new FileSink.Settings(ocsfFile, 1L << 20, RecordFormat.OCSF)).build(), new SimpleMeterRegistry())) {
            pipeline.append(TestRecords.issued("orders-svc"));
            pipeline.append(TestRecords.denied());
            pipeline.append(TestRecords.nhiChanged());
            pipeline.append(TestRecords.revoked());
        }
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(ocsfFile, StandardCharsets.UTF_8)) {
            events.add(RecordJson.parse(line.getBytes(StandardCharsets.UTF_8)));
        }
        return events;
    }

    @Test
    void everyKindOfRecordBecomesItsOcsfClassAndConformsToTheSubsetSchema() throws Exception {
        List<JsonNode> events = shipAsOcsf();
        assertThat(events).hasSizeGreaterThanOrEqualTo(5);
        for (JsonNode event : events) {
            assertThat(OcsfSchema.problems(event)).as("OCSF problems of %s", event).isEmpty();
            assertThat(event.path("type_uid").asLong())
                    .isEqualTo(event.path("class_uid").asLong() * 100 + event.path("activity_id").asLong());
            assertThat(event.at("/metadata/product/name").asText()).isEqualTo("Mintgate");
            assertThat(event.at("/metadata/version").asText()).isEqualTo("1.8.0");
            assertThat(event.at("/metadata/sequence").asLong()).isEqualTo(event.at("/unmapped/mintgate/seq").asLong());
            assertThat(event.at("/unmapped/mintgate/hash").asText()).hasSize(64);
        }
        JsonNode issued = byType(events, "io.mintgate.token.issued");
        assertThat(issued.path("class_uid").asInt()).isEqualTo(3002);
        assertThat(issued.path("activity_id").asInt()).isEqualTo(4);
        assertThat(issued.path("status_id").asInt()).isEqualTo(1);
        assertThat(issued.at("/user/uid").asText()).isEqualTo("user-1");
        assertThat(issued.at("/service/name").asText()).isEqualTo("orders-svc");
        assertThat(issued.at("/src_endpoint/ip").asText()).isEqualTo("10.0.0.1");
        assertThat(issued.at("/authorizations/0/decision").asText()).isEqualTo("allowed");
        assertThat(issued.path("action_id").asInt()).isEqualTo(1);
        assertThat(issued.at("/authorizations/0/policy/type").asText()).isEqualTo(OcsfRenderer.POLICY_TYPE);

        JsonNode denied = byType(events, "io.mintgate.token.denied");
        assertThat(denied.path("class_uid").asInt()).isEqualTo(3002);
        assertThat(denied.path("status_id").asInt()).isEqualTo(2);
        assertThat(denied.path("status_code").asText()).isEqualTo("access_denied");
        assertThat(denied.at("/authorizations/0/decision").asText()).isEqualTo("denied");
        assertThat(denied.at("/authorizations/0/policy/name").asText()).isEqualTo("team-check");
        assertThat(denied.at("/authorizations/0/policy/version").asText()).isEqualTo("sha256:0123456789abcdef");
        assertThat(denied.path("disposition_id").asInt()).isEqualTo(2);
        assertThat(denied.at("/metadata/correlation_uid").asText()).isEqualTo("d-2");
        assertThat(denied.at("/metadata/profiles/0").asText()).isEqualTo("security_control");

        JsonNode nhi = byType(events, "io.mintgate.nhi.changed");
        assertThat(nhi.path("class_uid").asInt()).isEqualTo(3004);
        assertThat(nhi.path("activity_id").asInt()).isEqualTo(3);
        assertThat(nhi.at("/entity/type").asText()).isEqualTo("CLIENT");
        assertThat(nhi.at("/actor/user/uid").asText()).isEqualTo("admin-1");

        JsonNode revoked = byType(events, "io.mintgate.token.revoked");
        assertThat(revoked.path("activity_id").asInt()).isEqualTo(2);
        assertThat(revoked.at("/user/name").asText()).isEqualTo("ci-runner");

        JsonNode checkpoint = byType(events, "io.mintgate.audit.checkpoint");
        assertThat(checkpoint.path("class_uid").asInt()).isZero();
        assertThat(checkpoint.at("/unmapped/mintgate/checkpoint/jws").asText()).contains(".");
    }

    @Test
    void theSubsetSchemaRejectsAttributesAndValuesOcsfDoesNotDefine() throws Exception {
        JsonNode good = shipAsOcsf().get(0);
        assertThat(OcsfSchema.problems(good)).isEmpty();

        ObjectNode misspelt = good.deepCopy();
        misspelt.put("sevrity_id", 1);
        assertThat(OcsfSchema.problems(misspelt)).isNotEmpty();

        ObjectNode noUser = good.deepCopy();
        noUser.remove("user");
        assertThat(OcsfSchema.problems(noUser)).isNotEmpty();

        ObjectNode wrongActivity = good.deepCopy();
        wrongActivity.put("activity_id", 42);
        assertThat(OcsfSchema.problems(wrongActivity)).isNotEmpty();

        ObjectNode nameless = good.deepCopy();
        ObjectNode policy = (ObjectNode) nameless.at("/authorizations/0/policy");
        policy.remove("name");
        assertThat(OcsfSchema.problems(nameless)).as("a policy with its type only").isEmpty();
        policy.remove("type");
        assertThat(OcsfSchema.problems(nameless)).as("a policy with neither name, type nor uid").isNotEmpty();

        ObjectNode badPolicy = good.deepCopy();
        ((ObjectNode) badPolicy.at("/authorizations/0/policy")).put("rule", "x");
        assertThat(OcsfSchema.problems(badPolicy)).isNotEmpty();
    }

    private static JsonNode byType(List<JsonNode> events, String type) {
        return events.stream().filter(e -> type.equals(e.at("/unmapped/mintgate/type").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + events));
    }
}
