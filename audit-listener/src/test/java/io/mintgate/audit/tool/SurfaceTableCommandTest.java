package io.mintgate.audit.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class SurfaceTableCommandTest {

    private static final String REPORT = """
            {"realm": "r", "clients": [
              {"clientId": "svc", "accessType": "confidential", "paths": [
                {"path": "client_credentials", "coverage": "covered",
                 "policies": [{"clientPolicy": "ci", "storedPolicy": "agents", "always": true}]}],
               "findings": []},
              {"clientId": "web", "accessType": "public", "paths": [
                {"path": "implicit", "coverage": "uncovered", "policies": []},
                {"path": "refresh_token", "coverage": "conditional",
                 "policies": [{"clientPolicy": "ctx", "storedPolicy": null, "always": false}]}],
               "findings": [{"id": "implicit-grant", "severity": "high", "message": "implicit flow is on"}]}]}""";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String input, String... args) {
        return SurfaceTableCommand.run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void rendersOneRowPerClientAndPathThenTheFindings() {
        assertThat(run(REPORT, "-")).isZero();
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table.lines().toList()).contains(
                "CLIENT  TYPE          PATH                COVERAGE     POLICIES",
                "svc     confidential  client_credentials  covered      ci [agents]",
                "web     public        implicit            uncovered",
                "web     public        refresh_token       conditional  ctx (if)",
                "  web  high  implicit-grant: implicit flow is on",
                "2 clients, 3 rows, 1 uncovered paths, 1 findings");
    }

    @Test
    void failOnUncoveredGivesExitOneAndBadInputExitTwo() {
        assertThat(run(REPORT, "-", "--fail-on-uncovered")).isEqualTo(1);
        assertThat(run("{\"x\": 1}", "-")).isEqualTo(2);
        assertThat(run("not json", "-")).isEqualTo(2);
        assertThat(run(REPORT, "-", "--bogus")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: surface");
    }
}
