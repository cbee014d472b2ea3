package io.mintgate.it.audit;

import static io.mintgate.it.harness.AuditSinks.OPTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditSinks;
import io.mintgate.it.harness.DistributionKeycloak;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Behaviour that needs other listener options than the shared server's: the shared server is restarted (same
 * ports, same database, same sinks) with overrides, each scenario on its own spool directory so the shared audit
 * trail stays one intact chain, and restarted with the standard options at the end. Four extra starts in all:
 * the default guarantee on its own spool, the restart after SIGKILL, fail-closed, drop-oldest (+ the restore).
 */
@MintgateIT
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpoolCrashAndFullIT {

    private static final String CRASH_SPOOL = "data/mintgate-audit-crash";
    private static final String CLOSED_SPOOL = "data/mintgate-audit-full-closed";
    private static final String DROP_SPOOL = "data/mintgate-audit-full-drop";
    /** Small enough that ~20 unshipped records fill it; segments are capped at a quarter of it. */
    private static final long SMALL_SPOOL_BYTES = 16_384;

    private DistributionKeycloak server;
    private AuditSinks sinks;
    private RealmFixture realm;
    private AuditGrants grants;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak, AuditSinks sinks) {
        assumeTrue(keycloak instanceof DistributionKeycloak, "restarts with other options need the distribution runtime");
        this.server = (DistributionKeycloak) keycloak;
        this.sinks = sinks;
        realm = RealmFixture.create(admin, "grants.json");
        grants = new AuditGrants(admin, keycloak, realm);
    }

    @AfterAll
    void restoreStandardServer() {
        if (server == null) {
            return;
        }
        sinks.http().setUnavailable(false);
        server.restartWith(List.of(), false);
        realm.close();
    }

    @Test
    @Order(1)
    void withTheDefaultOptionsEveryTokenReceivedBeforeASigkillUnderLoadHasItsRecord() throws Exception {
        wipe(CRASH_SPOOL);
        // The default guarantee, and no checkpoint before the crash (count and time triggers out of reach), so that
        // every record the load leaves is one the restart alone has to sign.
        server.restartWith(List.of(OPTION + "spool-dir=" + abs(CRASH_SPOOL),
                OPTION + "checkpoint-every-records=1000000", OPTION + "checkpoint-every-ms=0"), false);
        long firstStart = server.lastStartMillis();
        // The default must be the lossless guarantee, and nothing in the harness may choose another one.
        assertThat(server.currentStartOptions()).noneMatch(o -> o.contains("guarantee"));
        assertThat(server.log()).containsPattern("Mintgate audit started: spool " + Pattern.quote(abs(CRASH_SPOOL).toString())
                + ", chain [^,]+, guarantee BEFORE_RESPONSE");

        Load load = new Load(grants, "svc").start(8, 10_000);
        assertThat(load.awaitUntil(() -> load.received() >= 200, 120_000)).as("tokens issued before the crash").isTrue();
        server.kill();
        load.stop();
        load.join(30_000);
        int received = load.received();

        server.restart();
        long restartMs = server.lastStartMillis();
        assertThat(server.log()).as("recovery of the spool after SIGKILL")
                .contains("Mintgate audit spool " + abs(CRASH_SPOOL) + " recovered");

        String file = CRASH_SPOOL + "/audit.jsonl";
        long awaitStart = System.currentTimeMillis();
        Map<String, Map<String, List<String>>> perSink = sinks.awaitAllInEach(server, file,
                "tokens received before SIGKILL", load.receivedJtis(), r -> r.at("/data/tokenId").asText(),
                Duration.ofSeconds(90));
        for (String jti : load.receivedJtis()) {
            assertThat(perSink.get("http").get(jti)).as("records for token %s at the collector", jti).hasSize(1);
        }
        // Without a new record, the restart signed what the crash left: the log says so, the file trail ends with that
        // checkpoint, and the trail verifies with no unsigned tail allowed (torn tail cut, duplicates tolerated).
        Matcher signed = Pattern.compile("Mintgate audit spool " + Pattern.quote(abs(CRASH_SPOOL).toString())
                + ": checkpoint at seq (\\d+) covers the (\\d+) records recovered after the last checkpoint")
                .matcher(server.log());
        assertThat(signed.find()).as("recovery checkpoint in the log of the restart").isTrue();
        long checkpointSeq = Long.parseLong(signed.group(1));
        String lastLine = awaitLastLine(server.home().resolve(file), checkpointSeq);
        assertThat(lastLine).as("the file trail's newest record").contains("\"type\":\"io.mintgate.audit.checkpoint\"",
                "\"count\":" + signed.group(2) + ",");
        assertThat(Long.parseLong(signed.group(2))).as("records signed by the recovery checkpoint")
                .isGreaterThanOrEqualTo(received);
        Path publicJwk = AuditCli.publicJwk(server, CRASH_SPOOL);
        Path copy = AuditCli.copyWholeLines(server.home().resolve(file));
        AuditCli.Result verify = AuditCli.verify(server, copy, publicJwk);
        assertThat(verify.exit()).as("verify of the crash spool's file trail: %s", verify).isZero();
        assertThat(verify.stdout()).contains("1 checkpoint, 1 signature verified", "unsigned tail: none");

        System.out.printf("[crash] default (before-response) start %d ms; %d tokens received (%d requests failed/cut) before "
                        + "SIGKILL; restart %d ms; all %d records in file/http/kafka %d ms after ready; verify: %s%n",
                firstStart, received, load.failures(), restartMs, received, System.currentTimeMillis() - awaitStart,
                verify.stdout().strip());
    }

    @Test
    @Order(2)
    void aFullSpoolUnderFailClosedRefusesTokenRequests() throws Exception {
        wipe(CLOSED_SPOOL);
        sinks.http().setUnavailable(true);
        server.restartWith(List.of(OPTION + "spool-dir=" + abs(CLOSED_SPOOL), OPTION + "spool-max-bytes=" + SMALL_SPOOL_BYTES,
                OPTION + "full-policy=fail-closed"), false);

        int issued = 0;
        HttpResponse<String> refused = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (refused == null && System.currentTimeMillis() < deadline && issued < 500) {
            HttpResponse<String> response = rawClientCredentials();
            if (response.statusCode() == 200) {
                issued++;
            } else {
                refused = response;
            }
        }
        assertThat(refused).as("a token request refused once the spool is full (after %d issued)", issued).isNotNull();
        assertThat(refused.statusCode()).isGreaterThanOrEqualTo(500);
        assertThat(refused.body()).doesNotContain("access_token");
        // Still full: the next request is refused as well.
        assertThat(rawClientCredentials().statusCode()).isGreaterThanOrEqualTo(500);
        String log = awaitLog("refusing the request (full-policy=fail-closed)");
        Matcher why = Pattern.compile(".*audit spool .* is full .*refusing the request \\(full-policy=fail-closed\\).*")
                .matcher(log);
        assertThat(why.find()).isTrue();
        // The readiness probe says so: this node refuses tokens, so it is not ready, and the check says why.
        HttpResponse<String> ready = health();
        assertThat(ready.statusCode()).isEqualTo(503);
        com.fasterxml.jackson.databind.JsonNode check = auditCheck(ready);
        assertThat(check.path("status").asText()).isEqualTo("DOWN");
        assertThat(check.path("data").path("problem").asText()).contains("full-policy=fail-closed");
        assertThat(check.path("data").path("spool-fill-percent").asLong()).isGreaterThanOrEqualTo(100);
        assertThat(check.path("data").has("sink.http.failing-seconds")).isTrue();
        assertThat(check.path("data").path("sink.http.last-error").asText()).isNotBlank();

        // The collector comes back: the spool drains and tokens are issued again.
        sinks.http().setUnavailable(false);
        long recoverDeadline = System.currentTimeMillis() + 60_000;
        int status = 0;
        while (System.currentTimeMillis() < recoverDeadline && (status = rawClientCredentials().statusCode()) != 200) {
            AuditGrants.pause(250);
        }
        assertThat(status).as("token request once the collector drained the spool").isEqualTo(200);
        assertThat(auditCheck(health()).path("status").asText()).isEqualTo("UP");
        System.out.printf("[full/fail-closed] %d tokens issued, then refused with HTTP %d; log: %s%n", issued,
                refused.statusCode(), why.group().strip());
    }

    @Test
    @Order(3)
    void aFullSpoolUnderDropOldestCountsAndWarnsAboutDroppedRecords() throws Exception {
        wipe(DROP_SPOOL);
        sinks.http().setUnavailable(true);
        server.restartWith(List.of(OPTION + "spool-dir=" + abs(DROP_SPOOL), OPTION + "spool-max-bytes=" + SMALL_SPOOL_BYTES,
                OPTION + "full-policy=drop-oldest"), false);
        double before = droppedSpoolFull();

        int issued = 0;
        long deadline = System.currentTimeMillis() + 90_000;
        double after = before;
        while (System.currentTimeMillis() < deadline && after <= before) {
            HttpResponse<String> response = rawClientCredentials();
            assertThat(response.statusCode()).as("drop-oldest never refuses: %s", response.body()).isEqualTo(200);
            issued++;
            if (issued % 10 == 0) {
                after = droppedSpoolFull();
            }
        }
        assertThat(after).as("mintgate_audit_dropped_total{reason=spool_full} after %d tokens", issued)
                .isGreaterThan(before);
        // Dropping keeps issuing tokens: the node stays ready.
        assertThat(auditCheck(health()).path("status").asText()).isEqualTo("UP");
        String log = awaitLog("DROPPED");
        Matcher warn = Pattern.compile(".*WARN.*Mintgate audit spool .* is full .*DROPPED \\d+ unshipped records.*")
                .matcher(log);
        assertThat(warn.find()).as("WARN line about the dropped records").isTrue();
        sinks.http().setUnavailable(false);
        System.out.printf("[full/drop-oldest] %d tokens issued (none refused); dropped_total %s -> %s; log: %s%n",
                issued, before, after, warn.group().strip());
    }

    // helpers

    private HttpResponse<String> rawClientCredentials() throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString("svc:svc-secret".getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(grants.oidc().tokenEndpoint().toString()))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
            AuditGrants.ISSUED_TOKENS.add(accessTokenOf(response.body()));
        }
        return response;
    }

    private static String accessTokenOf(String body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> health() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.managementUri() + "/health/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code mintgate-audit} check in a {@code /health/ready} answer. */
    private static com.fasterxml.jackson.databind.JsonNode auditCheck(HttpResponse<String> health) throws IOException {
        for (com.fasterxml.jackson.databind.JsonNode check : new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(health.body()).path("checks")) {
            if (check.path("name").asText().equals("mintgate-audit")) {
                return check;
            }
        }
        throw new AssertionError("no mintgate-audit check in " + health.body());
    }

    /** Value of {@code mintgate_audit_dropped_total{reason="spool_full"}} on the management /metrics endpoint. */
    private double droppedSpoolFull() throws IOException, InterruptedException {
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(server.managementUri() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        double value = 0;
        for (String line : metrics.body().split("\n")) {
            if (line.startsWith("mintgate_audit_dropped_total{") && line.contains("reason=\"spool_full\"")) {
                value += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return value;
    }

    /** The last whole line of a file sink output once it is the record {@code seq} (the shipper may be behind). */
    private static String awaitLastLine(Path file, long seq) throws IOException {
        long deadline = System.currentTimeMillis() + 30_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            List<String> lines = Files.readAllLines(AuditCli.copyWholeLines(file), StandardCharsets.UTF_8);
            last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            if (last.contains("\"mintgateseq\":" + seq + ",")) {
                return last;
            }
            AuditGrants.pause(200);
        }
        throw new AssertionError("record seq " + seq + " not the last line of " + file + " within 30 s; last: " + last);
    }

    private String awaitLog(String needle) {
        long deadline = System.currentTimeMillis() + 30_000;
        String log = server.log();
        while (!log.contains(needle) && System.currentTimeMillis() < deadline) {
            AuditGrants.pause(200);
            log = server.log();
        }
        assertThat(log).as("server log of this start (%s)", server.logFile()).contains(needle);
        return log;
    }

    private Path abs(String relative) {
        return server.home().resolve(relative).toAbsolutePath();
    }

    private void wipe(String relative) throws IOException {
        Path dir = abs(relative);
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
