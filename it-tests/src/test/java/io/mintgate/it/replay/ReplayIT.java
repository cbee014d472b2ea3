package io.mintgate.it.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditTrail;
import io.mintgate.it.harness.DistributionKeycloak;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Impact replay on the real server: known client_credentials traffic recorded by the live policy (alpha 5 tokens
 * with read+write and 3 with read, beta 4 narrowed to read, rogue 2 refused), replayed with a draft that refuses
 * alpha's write, narrows beta further and no longer refuses rogue: the exact counts, through the REST endpoint and
 * the bundle's CLI on the same trail file, with example decision ids that are records of the trail.
 */
@MintgateIT
class ReplayIT {

    static final String DRAFT = """
            {"rules": [
              {"name": "alpha-no-write", "reason": "no_write", "match": "client.clientId == 'alpha'", "deny": "'write' in grant.scopes"},
              {"name": "beta-read-only", "reason": "beta_narrowed", "match": "client.clientId == 'beta'", "allowIf": "true",
               "obligations": {"keepScopes": "['read']", "maxAccessTokenLifetime": "duration('60s')"}}
            ]}""";

    private AdminApi admin;
    private KeycloakRuntime keycloak;
    private RealmFixture realm;
    private OidcClient oidc;
    private Instant start;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        this.keycloak = keycloak;
        start = Instant.now().minusSeconds(1);
        realm = RealmFixture.create(admin, "replay.json");
        oidc = new OidcClient(keycloak, realm.name());
        for (int i = 0; i < 5; i++) {
            assertThat(oidc.clientCredentials("alpha", "alpha-secret", "read write").indicatesSuccess()).isTrue();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(oidc.clientCredentials("alpha", "alpha-secret", "read").indicatesSuccess()).isTrue();
        }
        for (int i = 0; i < 4; i++) {
            assertThat(oidc.clientCredentials("beta", "beta-secret", "read write").indicatesSuccess()).isTrue();
        }
        for (int i = 0; i < 2; i++) {
            assertThat(oidc.clientCredentials("rogue", "rogue-secret", null).indicatesSuccess()).isFalse();
        }
        awaitRecords("of the known traffic", r -> List.of("alpha", "beta", "rogue").contains(r.at("/data/clientId").asText()), 14);
    }

    @AfterAll
    void tearDown() {
        realm.close();
    }

    @Test
    void theRestReplayGivesTheExactCountsOfChangedDecisions() {
        JsonNode report = admin.post(realm.path() + "/mintgate/replay", Map.of("policy", DRAFT,
                "from", start.toString(), "to", Instant.now().plusSeconds(3600).toString())).expect(200).json();
        assertExpectedCounts(report);
    }

    @Test
    void theCliGivesTheSameReportFromTheTrailFile() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(keycloak instanceof DistributionKeycloak, "the CLI reads the server's files");
        DistributionKeycloak server = (DistributionKeycloak) keycloak;
        Path work = Files.createDirectories(Path.of(System.getProperty("it.work.dir", "target/it-work"), "replay"));
        Path draft = Files.writeString(work.resolve("draft.json"), DRAFT);
        Path trail = work.resolve("audit.jsonl");
        Files.writeString(trail, keycloak.readServerFile(AuditTrail.FILE).orElseThrow());
        Path jar = server.home().resolve("providers/mintgate-keycloak.jar");

        Cli ok = cli(jar, work, "replay", "--policy", draft.toString(), "--trail", trail.toString(),
                "--realm", realm.name(), "--from", start.toString());
        assertThat(ok.exit).as(ok.err).isZero();
        assertExpectedCounts(new com.fasterxml.jackson.databind.ObjectMapper().readTree(ok.out));

        Cli usage = cli(jar, work, "replay", "--trail", trail.toString());
        assertThat(usage.exit).isEqualTo(2);
        assertThat(usage.err).contains("--policy and --trail are required", "usage: replay");
        Cli badTime = cli(jar, work, "replay", "--policy", draft.toString(), "--trail", trail.toString(), "--from", "yesterday");
        assertThat(badTime.exit).isEqualTo(2);
        assertThat(badTime.err).contains("'yesterday' is no ISO-8601 instant");
    }

    @Test
    void aMalformedBodyIsA400NamingTheField() {
        String path = realm.path() + "/mintgate/replay";
        AdminApi.Response noPolicy = admin.post(path, Map.of("from", "2026-01-01T00:00:00Z"));
        assertThat(noPolicy.status()).isEqualTo(400);
        assertThat(noPolicy.body()).contains("policy: required");
        AdminApi.Response badTime = admin.post(path, Map.of("policy", DRAFT, "from", "last week", "window", 3));
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.body()).contains("from: 'last week' is no ISO-8601 instant", "window: unknown member");
        AdminApi.Response badDraft = admin.post(path, Map.of("policy", "{\"rules\": [{\"name\": \"x\", \"reason\": \"x\", \"deny\": \"client.clientid == 'x'\"}]}"));
        assertThat(badDraft.status()).isEqualTo(400);
        assertThat(badDraft.body()).contains("policy: the draft does not compile", "clientid");
    }

    @Test
    void theCapturedRequestHoldsNoSecretOnGrantsThatCarryThem() {
        TokenResponse cc = oidc.clientCredentials("alpha", "alpha-secret", "read");
        TokenResponse password = oidc.token(new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-password")),
                new ClientSecretBasic(new ClientID("app"), new Secret("app-secret")), "read");
        String subjectToken = password.toSuccessResponse().getTokens().getAccessToken().getValue();
        TokenResponse exchanged = oidc.token(new TokenExchangeGrant(new BearerAccessToken(subjectToken), TokenTypeURI.ACCESS_TOKEN),
                new ClientSecretBasic(new ClientID("exchanger"), new Secret("exchanger-secret")), null);
        assertThat(exchanged.indicatesSuccess()).as(() -> exchanged.toErrorResponse().getErrorObject().toString()).isTrue();
        List<String> secrets = List.of("alpha-secret", "alice-password", "app-secret", "exchanger-secret", subjectToken,
                cc.toSuccessResponse().getTokens().getAccessToken().getValue(),
                exchanged.toSuccessResponse().getTokens().getAccessToken().getValue());

        for (String grant : List.of("password", "urn:ietf:params:oauth:grant-type:token-exchange")) {
            JsonNode record = new AuditTrail(keycloak).await("of the " + grant + " grant", r -> inRealm(r)
                    && grant.equals(r.at("/data/grantType").asText()) && r.at("/data/details/mintgate_request").isTextual());
            String captured = record.at("/data/details/mintgate_request").asText();
            assertThat(captured).contains("\"username\":\"alice\"");
            assertThat(captured).doesNotContain(secrets).doesNotContain("eyJ");
        }
        List<JsonNode> alphaRecords = awaitRecords("of alpha", r -> "alpha".equals(r.at("/data/clientId").asText()), 9);
        for (JsonNode record : alphaRecords) {
            String captured = record.at("/data/details/mintgate_request").asText();
            assertThat(captured).contains("\"clientId\":\"alpha\"").doesNotContain(secrets).doesNotContain("eyJ");
        }
    }

    private void assertExpectedCounts(JsonNode report) {
        assertThat(report.at("/allowToDeny/count").asLong()).as(report.toPrettyString()).isEqualTo(5);
        assertThat(report.at("/denyToAllow/count").asLong()).isEqualTo(2);
        assertThat(report.at("/narrowingChanged/count").asLong()).isEqualTo(4);
        assertThat(report.at("/narrowingChanged/obligations").toString()).isEqualTo("{\"maxAccessTokenLifetime\":4}");
        assertThat(report.at("/byClient/alpha/allowToDeny").asLong()).isEqualTo(5);
        assertThat(report.at("/byClient/alpha/unchanged").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(report.at("/byClient/beta")).hasSize(1);
        assertThat(report.at("/byClient/beta/narrowingChanged").asLong()).isEqualTo(4);
        assertThat(report.at("/byClient/rogue")).hasSize(1);
        assertThat(report.at("/byClient/rogue/denyToAllow").asLong()).isEqualTo(2);
        assertThat(report.at("/byRule/alpha-no-write/allowToDeny").asLong()).isEqualTo(5);
        assertThat(report.at("/byRule/no-rogue/denyToAllow").asLong()).isEqualTo(2);
        assertThat(report.at("/notReplayable/count").asLong()).isZero();
        assertThat(report.at("/policyVersion").asText()).isNotEmpty();

        Map<String, JsonNode> byDecision = new LinkedHashMap<>();
        for (JsonNode r : new AuditTrail(keycloak).records()) {
            if (inRealm(r) && r.at("/data/decision/id").isTextual()) {
                byDecision.put(r.at("/data/decision/id").asText(), r);
            }
        }
        assertThat(report.at("/allowToDeny/examples")).hasSize(5);
        report.at("/allowToDeny/examples").forEach(id -> {
            JsonNode r = byDecision.get(id.asText());
            assertThat(r).as("decision %s in the trail", id).isNotNull();
            assertThat(r.at("/data/clientId").asText()).isEqualTo("alpha");
            assertThat(r.at("/data/details/mintgate_request").asText()).contains("\"write\"");
        });
        assertThat(report.at("/denyToAllow/examples")).hasSize(2);
        report.at("/denyToAllow/examples").forEach(id ->
                assertThat(byDecision.get(id.asText()).at("/data/decision/rule").asText()).isEqualTo("no-rogue"));
        assertThat(report.at("/narrowingChanged/examples")).hasSize(4);
        report.at("/narrowingChanged/examples").forEach(id ->
                assertThat(byDecision.get(id.asText()).at("/data/clientId").asText()).isEqualTo("beta"));
    }

    private boolean inRealm(JsonNode record) {
        return realm.name().equals(record.at("/data/realm").asText());
    }

    private List<JsonNode> awaitRecords(String what, Predicate<JsonNode> matching, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<JsonNode> found = List.of();
        while (System.nanoTime() < deadline) {
            found = new ArrayList<>();
            for (JsonNode r : new AuditTrail(keycloak).records()) {
                if (inRealm(r) && r.at("/data/decision/id").isTextual() && matching.test(r)) {
                    found.add(r);
                }
            }
            if (found.size() >= count) {
                return found;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError(found.size() + " of " + count + " records " + what + " within 30 s");
    }

    private record Cli(int exit, String out, String err) {
    }

    private static Cli cli(Path jar, Path work, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(work, "replay-", ".out");
            Path err = Files.createTempFile(work, "replay-", ".err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("replay did not finish within 120 s");
            }
            return new Cli(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
