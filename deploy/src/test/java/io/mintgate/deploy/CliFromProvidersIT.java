package io.mintgate.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built bundle's command line, run as the docs say: {@code java -jar providers/mintgate-keycloak.jar ...} inside
 * a Keycloak folder, where the manifest's Class-Path finds the libraries Keycloak ships and the bundle does not.
 * Each Class-Path entry is stood in for by the same library from this build's classpath, under the entry's name.
 * Also pins what docs/operations.md says of checkpoint key rotation, on a real trail (src/test/resources/rotation).
 */
class CliFromProvidersIT {

    /** Class-Path entry (by the library it names) -> a class that library holds. */
    private static final Map<String, String> LIBRARIES = Map.of(
            "jackson-databind", "com.fasterxml.jackson.databind.ObjectMapper",
            "jackson-core", "com.fasterxml.jackson.core.JsonFactory",
            "jackson-annotations", "com.fasterxml.jackson.annotation.JsonProperty",
            "jboss-logging", "org.jboss.logging.Logger",
            "antlr4-runtime", "org.antlr.v4.runtime.tree.ParseTreeVisitor");

    @TempDir
    static Path keycloakHome;
    private static Path jar;

    @BeforeAll
    static void installLikeKeycloak() throws Exception {
        Path built = Path.of(System.getProperty("bundle.jar"));
        jar = Files.createDirectories(keycloakHome.resolve("providers")).resolve("mintgate-keycloak.jar");
        Files.copy(built, jar);
        String classPath;
        try (JarFile j = new JarFile(built.toFile())) {
            classPath = j.getManifest().getMainAttributes().getValue("Class-Path");
        }
        assertThat(classPath).as("manifest Class-Path").isNotBlank();
        for (String entry : classPath.split(" ")) {
            String library = LIBRARIES.keySet().stream().filter(entry::contains).findFirst()
                    .orElseThrow(() -> new AssertionError("no stand-in for Class-Path entry " + entry));
            Path source = Path.of(Class.forName(LIBRARIES.get(library)).getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            Path target = keycloakHome.resolve("providers").resolve(entry).normalize();
            Files.createDirectories(target.getParent());
            Files.copy(source, target);
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", "providers/mintgate-keycloak.jar"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(keycloakHome, "out", ".txt");
        Path err = Files.createTempFile(keycloakHome, "err", ".txt");
        Process p = new ProcessBuilder(command).directory(keycloakHome.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("CLI finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Path resource(String name) throws Exception {
        Path copy = keycloakHome.resolve(name);
        if (!Files.exists(copy)) {
            Files.copy(Path.of(CliFromProvidersIT.class.getResource("/rotation/" + name).toURI()), copy);
        }
        return copy;
    }

    /** The trail's records with seq in [from, to], as a JSON-lines file. */
    private static Path span(long from, long to) throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(resource("trail.jsonl"))) {
            long seq = mapper.readTree(line).path("mintgateseq").asLong();
            if (seq >= from && seq <= to) {
                lines.add(line);
            }
        }
        return Files.write(keycloakHome.resolve("span-" + from + "-" + to + ".jsonl"), lines);
    }

    @Test
    void testRunsAPolicysTestsAndFailsTheExitCodeOnAFailingCase() throws Exception {
        String rules = """
                "rules": [{"name": "no-agents", "reason": "agents_blocked",
                           "deny": "client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent'"}]""";
        Path passing = Files.writeString(keycloakHome.resolve("passing.json"), "{" + rules + """
                , "tests": [{"name": "agents are refused",
                             "request": {"client": {"attributes": {"mintgate.kind": "ai-agent"}}},
                             "expect": {"outcome": "deny", "reason": "agents_blocked"}}]}""");
        Run ok = cli("test", passing.toString());
        assertThat(ok.err()).doesNotContain("NoClassDefFoundError", "Exception");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("PASS  agents are refused", "1 cases: 1 passed, 0 failed, 0 malformed");

        Path failing = Files.writeString(keycloakHome.resolve("failing.json"), "{" + rules + """
                , "tests": [{"name": "agents pass", "request": {"client": {"attributes": {"mintgate.kind": "ai-agent"}}},
                             "expect": {"outcome": "allow"}}]}""");
        Run failed = cli("test", failing.toString());
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.out()).contains("FAIL  agents pass: outcome expected allow, got deny (rule no-agents, reason agents_blocked)");

        Run invalid = cli("test", Files.writeString(keycloakHome.resolve("invalid.json"), "{\"rules\": [{\"name\": \"x\"}]}").toString());
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("is not a valid policy", "rules[0]");
    }

    @Test
    void simulateAnswersARequestWithoutAServerAndExitsTwoOnBadInput() throws Exception {
        Path policy = Files.writeString(keycloakHome.resolve("simulate-policy.json"), """
                {"rules": [{"name": "no-agents", "reason": "agents_blocked",
                            "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent'", "deny": "true"},
                           {"name": "ci-narrow", "reason": "ci", "allowIf": "true", "obligations": {"keepScopes": "['read']"}}]}""");
        Path agent = Files.writeString(keycloakHome.resolve("agent.json"), """
                {"grant": {"type": "client_credentials", "scopes": ["read"]},
                 "client": {"clientId": "bot", "attributes": {"mintgate.kind": "ai-agent"}}}""");
        Run denied = cli("simulate", "--policy", policy.toString(), "--request", agent.toString());
        assertThat(denied.err()).doesNotContain("NoClassDefFoundError", "Exception");
        assertThat(denied.exit()).as(denied.err()).isZero();
        var answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(denied.out());
        assertThat(answer.path("outcome").asText()).isEqualTo("deny");
        assertThat(answer.path("reason").asText()).isEqualTo("agents_blocked");
        assertThat(answer.at("/policies/0/trace/0/result").asText()).isEqualTo("denied");
        assertThat(answer.at("/policies/0/trace/0/failed/field").asText()).isEqualTo("rules[0].deny");
        assertThat(answer.at("/policies/0/trace/1/result").asText()).isEqualTo("not_evaluated");

        Path ci = Files.writeString(keycloakHome.resolve("ci.json"), """
                {"grant": {"type": "client_credentials", "scopes": ["read", "write"]}, "client": {"clientId": "ci"}}""");
        Run allowed = cli("simulate", "--policy", policy.toString(), "--request", ci.toString());
        assertThat(allowed.exit()).as(allowed.err()).isZero();
        var narrowed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(allowed.out());
        assertThat(narrowed.path("outcome").asText()).isEqualTo("allow");
        assertThat(narrowed.path("narrowed").toString()).isEqualTo("[\"scope:-write\"]");

        Run malformed = cli("simulate", "--policy", policy.toString(), "--request",
                Files.writeString(keycloakHome.resolve("malformed.json"), "{\"grant\": ").toString());
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(malformed.err()).contains("malformed.json: line 1, column", "invalid JSON");
    }

    @Test
    void surfaceRendersAReportAsATable() throws Exception {
        Path report = Files.writeString(keycloakHome.resolve("surface.json"), """
                {"realm": "r", "clients": [{"clientId": "svc", "accessType": "confidential",
                  "paths": [{"path": "client_credentials", "coverage": "uncovered", "policies": []}], "findings": []}]}""");
        Run table = cli("surface", report.toString(), "--fail-on-uncovered");
        assertThat(table.exit()).as(table.err()).isEqualTo(1);
        assertThat(table.out()).contains("svc     confidential  client_credentials  uncovered", "1 uncovered paths");
    }

    @Test
    void checkpointKeyNewAndPublicRunFromProviders() throws Exception {
        Run made = cli("checkpoint-key", "new", "made.jwk");
        assertThat(made.err()).doesNotContain("NoClassDefFoundError");
        assertThat(made.exit()).as(made.err()).isZero();
        assertThat(made.out()).contains("\"kty\":\"EC\"").doesNotContain("\"d\":");

        Run printed = cli("checkpoint-key", "public", "made.jwk");
        assertThat(printed.exit()).as(printed.err()).isZero();
        assertThat(printed.out().strip()).isEqualTo(made.out().strip());
    }

    @Test
    void aTrailAcrossAKeyRotationVerifiesWithBothKeysOrEachSpanWithItsKey() throws Exception {
        Path trail = resource("trail.jsonl");
        Run chainOnly = cli("verify", trail.toString());
        assertThat(chainOnly.exit()).as(chainOnly.err()).isZero();
        assertThat(chainOnly.out()).contains("61 records (seq 1..61), 5 checkpoints, 0 signatures verified");

        Run oldKey = cli("verify", trail.toString(), "--jwk", resource("key-a-public.jwk").toString());
        assertThat(oldKey.exit()).isEqualTo(1);
        assertThat(oldKey.out() + oldKey.err()).contains("record seq 52", "bad signature");
        Run newKey = cli("verify", trail.toString(), "--jwk", resource("key-b-public.jwk").toString());
        assertThat(newKey.exit()).isEqualTo(1);
        assertThat(newKey.out() + newKey.err()).contains("record seq 42", "bad signature");

        Run bothKeys = cli("verify", trail.toString(), "--jwk", resource("key-a-public.jwk").toString(),
                "--jwk", resource("key-b-public.jwk").toString());
        assertThat(bothKeys.exit()).as(bothKeys.out() + bothKeys.err()).isZero();
        assertThat(bothKeys.out()).contains("61 records (seq 1..61), 5 checkpoints, 5 signatures verified");

        Run before = cli("verify", span(1, 46).toString(), "--jwk", resource("key-a-public.jwk").toString());
        assertThat(before.exit()).as(before.out() + before.err()).isZero();
        assertThat(before.out()).contains("46 records (seq 1..46), 2 checkpoints, 2 signatures verified");
        Run after = cli("verify", span(47, 61).toString(), "--jwk", resource("key-b-public.jwk").toString());
        assertThat(after.exit()).as(after.out() + after.err()).isZero();
        assertThat(after.out()).contains("15 records (seq 47..61), 3 checkpoints, 3 signatures verified");
    }
}
