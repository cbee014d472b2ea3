package io.mintgate.authorizer.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mintgate.authorizer.policy.ClientInfo;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.RequestCapture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @Test
    void printsTheReportOfATrailAndADraftAsJson() throws Exception {
        Path trail = dir.resolve("audit.jsonl");
        Files.write(trail, List.of(record("kc-1", "d-1", "a", "2026-03-01T10:00:00Z"),
                record("kc-2", "d-2", "b", "2026-03-01T11:00:00Z"), record("kc-3", "d-3", "a", "2026-03-01T12:00:00Z")));
        Path draft = Files.writeString(dir.resolve("draft.json"),
                "{\"rules\": [{\"name\": \"no-a\", \"reason\": \"no_a\", \"deny\": \"client.clientId == 'a'\"}]}");

        int exit = run("--policy", draft.toString(), "--trail", trail.toString(), "--from", "2026-03-01T09:00:00Z",
                "--to", "2026-03-01T12:00:00Z", "--realm", "acme");

        assertThat(exit).as(err.toString()).isZero();
        JsonNode report = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(report.at("/records").asLong()).isEqualTo(3);
        assertThat(report.at("/allowToDeny/count").asLong()).isEqualTo(1);
        assertThat(report.at("/allowToDeny/examples/0").asText()).isEqualTo("d-1");
        assertThat(report.at("/unchanged").asLong()).isEqualTo(1);
        assertThat(report.at("/skipped/reasons/outside the time window").asLong()).isEqualTo(1);
        assertThat(report.at("/byRule/no-a/allowToDeny").asLong()).isEqualTo(1);
    }

    @Test
    void usageErrorsExitWith2() throws Exception {
        assertThat(run("--trail", "x.jsonl")).isEqualTo(2);
        assertThat(err.toString()).contains("--policy and --trail are required", ReplayCommand.USAGE);
        Path draft = Files.writeString(dir.resolve("draft.json"), "{\"rules\": [{\"name\": \"x\"}]}");
        assertThat(run("--policy", draft.toString(), "--trail", "x.jsonl")).isEqualTo(2);
        assertThat(run("--policy", "p.json", "--trail", "x.jsonl", "--from", "monday")).isEqualTo(2);
        assertThat(err.toString()).contains("'monday' is no ISO-8601 instant");
        assertThat(run("--policy", "p.json", "--trail", "x.jsonl", "--colour", "red")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown option --colour");
        assertThat(out.size()).isZero();
    }

    private int run(String... args) {
        return ReplayCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String record(String id, String decisionId, String client, String time) {
        IssuanceRequest request = new IssuanceRequest("acme", Instant.parse(time), "client_credentials",
                new Grant("client_credentials", List.of("read"), List.of(), List.of(), null),
                new ClientInfo("id-" + client, client, "client-secret", false, Map.of(), List.of(), List.of()),
                null, null, null, null, null, null);
        return JSON.createObjectNode().put("id", id).put("type", "io.mintgate.token.issued").put("time", time)
                .set("data", JSON.createObjectNode().put("realm", "acme").put("clientId", client)
                        .<com.fasterxml.jackson.databind.node.ObjectNode>set("decision",
                                JSON.createObjectNode().put("id", decisionId).put("outcome", "allow"))
                        .set("details", JSON.createObjectNode().put("mintgate_request", RequestCapture.encode(request))))
                .toString();
    }
}
