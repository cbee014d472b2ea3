package io.mintgate.it.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditTrail;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.ObservabilityFiles;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.PrometheusText;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an operator watches, on the real server's management port: the decision meters count exactly the tokens
 * allowed, refused and shadow-denied; the {@code mintgate-audit} readiness check reports the spool and the sink;
 * and every metric the Grafana dashboard and the Prometheus alert rules in {@code deploy/observability/} query is one
 * the server exports.
 */
@MintgateIT
class ObservabilityIT {

    private static final String PDP = "unreachable-pdp";

    private AdminApi admin;
    private KeycloakRuntime keycloak;
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) throws Exception {
        this.admin = admin;
        this.keycloak = keycloak;
        realm = RealmFixture.create(admin, "observability.json");
        oidc = new OidcClient(keycloak, realm.name());
        realm.applyIssuancePolicies("observed", policy(closedPort()));
        // Inside the expiry warning window (14 days by default): the identity gets the expiry meters.
        String id = admin.clientUuid(realm.name(), "expiring-bot");
        JsonNode client = admin.get(realm.path() + "/clients/" + id).expect(200).json();
        ((ObjectNode) client.get("attributes")).put("mintgate.expires-at",
                Instant.now().plus(Duration.ofDays(5)).toString());
        admin.put(realm.path() + "/clients/" + id, client).expect(204);
    }

    @AfterAll
    void tearDown() {
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    void theDecisionMetersCountEachAllowedRefusedAndShadowDeniedTokenExactly() {
        PrometheusText before = PrometheusText.scrape(keycloak);

        for (int i = 0; i < 3; i++) {
            allowed("good-bot");
        }
        refused("bad-bot", "bad_bot");
        refused("bad-bot", "bad_bot");
        allowed("trial-bot");                       // the shadow rule would have refused it
        allowed("capped-bot");                      // one token an hour ...
        refused("capped-bot", "budget_exhausted");  // ... so not a second
        refused("broken-bot", "policy_error");      // its rule cannot be evaluated (onError deny)
        allowed("pdp-bot");                         // the PDP is down; its rule says onError allow

        PrometheusText after = PrometheusText.scrape(keycloak);
        String r = realm.name();
        Map<String, Double> expected = new TreeMap<>(Map.of(
                "allow/none", 5.0, "deny/rule", 2.0, "shadow/rule", 1.0, "deny/budget_exhausted", 1.0,
                "error/policy_error", 1.0, "shadow/budget_exhausted", 0.0));
        Map<String, Double> counted = new TreeMap<>();
        for (String pair : expected.keySet()) {
            String[] or = pair.split("/");
            String[] labels = {"realm", r, "outcome", or[0], "reason", or[1], "grant", "client_credentials"};
            assertThat(after.find("mintgate_decisions_total", labels)).as(pair + " has a series").hasSize(1);
            counted.put(pair, after.value("mintgate_decisions_total", labels)
                    - before.value("mintgate_decisions_total", labels));
        }
        assertThat(counted).isEqualTo(expected);
        // No other label values: the admin-chosen reason codes stay out of this meter.
        assertThat(after.find("mintgate_decisions_total", "realm", r)).extracting(s -> s.labels().get("reason"))
                .containsOnly("none", "rule", "budget_exhausted", "policy_error");

        assertThat(delta(before, after, "mintgate_decision_seconds_count", "realm", r)).isEqualTo(10.0);
        // The 15 buckets from 10 µs to 1 s, and +Inf.
        assertThat(after.find("mintgate_decision_seconds_bucket", "realm", r)).hasSize(16)
                .extracting(s -> s.labels().get("le")).contains("+Inf");
        assertThat(delta(before, after, "mintgate_decision_seconds_bucket", "realm", r, "le", "+Inf")).isEqualTo(10.0);
        assertThat(after.find("mintgate_decision_seconds_sum", "realm", r)).hasSize(1);
        assertThat(after.find("mintgate_decision_seconds_max", "realm", r)).hasSize(1);

        assertThat(delta(before, after, "mintgate_budget_exhausted_total", "realm", r, "mode", "enforce")).isEqualTo(1.0);
        assertThat(delta(before, after, "mintgate_budget_exhausted_total", "realm", r, "mode", "shadow")).isZero();
        assertThat(delta(before, after, "mintgate_rule_errors_total", "realm", r, "effect", "deny")).isEqualTo(1.0);
        assertThat(delta(before, after, "mintgate_rule_errors_total", "realm", r, "effect", "allow")).isEqualTo(1.0);
        assertThat(delta(before, after, "mintgate_rule_errors_total", "realm", r, "effect", "policy")).isZero();

        assertThat(delta(before, after, "mintgate_authzen_decisions_total", "pdp", PDP, "outcome", "error")).isEqualTo(1.0);
        assertThat(delta(before, after, "mintgate_authzen_call_seconds_count", "pdp", PDP)).isEqualTo(1.0);
        assertThat(after.find("mintgate_authzen_call_seconds_bucket", "pdp", PDP)).isNotEmpty();

        // Per-rule meters (the harness starts the server with metrics-per-rule=true): the rule names and reason codes.
        assertThat(delta(before, after, "mintgate_rule_denials_total", "realm", r, "rule", "no-bad-bot",
                "reason", "bad_bot", "mode", "enforce")).isEqualTo(2.0);
        assertThat(delta(before, after, "mintgate_rule_denials_total", "realm", r, "rule", "trial-tenant",
                "reason", "wrong_tenant", "mode", "shadow")).isEqualTo(1.0);
        assertThat(delta(before, after, "mintgate_rule_denials_total", "realm", r, "rule", "one-token-an-hour",
                "reason", "budget_exhausted", "mode", "enforce")).isEqualTo(1.0);
        assertThat(delta(before, after, "mintgate_rule_errors_by_rule_total", "realm", r, "rule", "needs-team",
                "effect", "deny")).isEqualTo(1.0);
        assertThat(delta(before, after, "mintgate_rule_errors_by_rule_total", "realm", r, "rule", "ask-the-pdp",
                "effect", "allow")).isEqualTo(1.0);
        assertThat(after.find("mintgate_rule_denials_total", "realm", r)).hasSize(3);
    }

    @Test
    void theAuditReadinessCheckReportsTheSpoolAndTheSinkOnTheManagementPort() throws Exception {
        allowed("good-bot");
        new AuditTrail(keycloak).await("the issuance of good-bot", rec -> realm.name().equals(rec.at("/data/realm").asText()));

        JsonNode ready = health("/health/ready");
        JsonNode check = check(ready, "mintgate-audit");
        assertThat(check.path("status").asText()).isEqualTo("UP");
        JsonNode data = check.path("data");
        assertThat(data.path("spool-writable").asBoolean(false)).isTrue();
        assertThat(data.path("spool-limit-bytes").asLong()).isEqualTo(1_073_741_824L);
        assertThat(data.path("spool-limit-records").asLong()).isEqualTo(10_000_000L);
        assertThat(data.path("spool-fill-percent").isNumber()).isTrue();
        assertThat(data.path("full-policy").asText()).isEqualTo("fail-closed");
        assertThat(data.path("sink.file.last-success").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(data.path("sink.file.backlog").isNumber()).isTrue();
        assertThat(data.has("problem")).isFalse();
        assertThat(ready.path("status").asText()).isEqualTo("UP");
        // Keycloak's own checks are still there, and /health lists ours too.
        assertThat(check(ready, "Keycloak Initialized").path("status").asText()).isEqualTo("UP");
        assertThat(check(health("/health"), "mintgate-audit").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void everyMetricTheDashboardAndTheAlertRulesQueryIsExportedByTheServer() {
        assertThat(ObservabilityFiles.shapeProblems()).isEmpty();
        // Traffic that creates every meter the files read: decisions, a PDP call, an identity near its expiry.
        allowed("good-bot");
        allowed("pdp-bot");
        allowed("expiring-bot");
        refused("bad-bot", "bad_bot");
        Set<String> exported = PrometheusText.scrape(keycloak).names();

        Map<String, String> expressions = ObservabilityFiles.expressions();
        assertThat(expressions).hasSizeGreaterThan(20);
        Map<String, Set<String>> missing = new TreeMap<>();
        Set<String> used = new TreeSet<>();
        expressions.forEach((where, expr) -> {
            Set<String> names = ObservabilityFiles.metricNames(expr);
            assertThat(names).as("%s reads no metric: %s", where, expr).isNotEmpty();
            used.addAll(names);
            names.stream().filter(n -> !exported.contains(n))
                    .forEach(n -> missing.computeIfAbsent(where, k -> new TreeSet<>()).add(n));
        });
        assertThat(missing).as("metrics the files query that the server does not export").isEmpty();
        // And the operator guide lists every Mintgate meter the server exports (a histogram by its base name).
        String guide = read(Path.of(System.getProperty("it.docs.dir", "../docs"), "observability.md"));
        assertThat(exported.stream().filter(n -> n.startsWith("mintgate_"))
                .map(n -> n.replaceFirst("_(bucket|count|sum|max)$", ""))
                .filter(n -> !guide.contains("`" + n + "`")).distinct().toList())
                .as("exported meters missing from docs/observability.md").isEmpty();
        // The files cover what the operator guide promises they watch.
        assertThat(used).contains("mintgate_decisions_total", "mintgate_decision_seconds_bucket",
                "mintgate_rule_errors_total", "mintgate_budget_exhausted_total", "mintgate_authzen_decisions_total",
                "mintgate_authzen_call_seconds_bucket", "mintgate_audit_spool_bytes", "mintgate_audit_spool_limit_bytes",
                "mintgate_audit_spool_depth", "mintgate_audit_ship_failures_total", "mintgate_audit_fsyncs_total",
                "mintgate_audit_dropped_total", "mintgate_audit_spool_writable", "mintgate_nhi_expiry_seconds");
    }

    /** The check above is only as good as the name extraction: it finds the metrics and nothing else. */
    @Test
    void theNameExtractionFindsEveryMetricAndNoFunctionLabelOrVariable() {
        assertThat(ObservabilityFiles.metricNames("histogram_quantile(0.99, sum by (realm, le) "
                + "(rate(mintgate_decision_seconds_bucket{realm=~\"$realm\",outcome=\"deny\"}[$__rate_interval]))) > 0.05"))
                .containsExactly("mintgate_decision_seconds_bucket");
        assertThat(ObservabilityFiles.metricNames("max by (instance) (mintgate_audit_spool_bytes / "
                + "mintgate_audit_spool_limit_bytes) > 0.8 or min by (realm, client) (mintgate_nhi_expiry_seconds) < 3 * 86400"))
                .containsExactly("mintgate_audit_spool_bytes", "mintgate_audit_spool_limit_bytes", "mintgate_nhi_expiry_seconds");
        assertThat(ObservabilityFiles.metricNames("label_values(mintgate_decisions_total, realm)"))
                .containsExactly("mintgate_decisions_total");
        // A misspelt metric or an unknown function is reported, so the server check fails on it.
        assertThat(ObservabilityFiles.metricNames("sum(rate(mintgate_decisons_total[5m])) + made_up_fn(x_total)"))
                .containsExactly("made_up_fn", "mintgate_decisons_total", "x_total");
    }

    private static String read(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        assertThat(after.find(name, labels)).as(name + " " + List.of(labels)).hasSize(1);
        return after.value(name, labels) - before.value(name, labels);
    }

    private void allowed(String client) {
        TokenResponse response = oidc.clientCredentials(client, client + "-secret", null);
        assertThat(response.indicatesSuccess()).as(client + " gets a token: " + describe(response)).isTrue();
    }

    private void refused(String client, String reason) {
        TokenResponse response = oidc.clientCredentials(client, client + "-secret", null);
        assertThat(response.indicatesSuccess()).as(client + " is refused").isFalse();
        TokenErrorResponse error = response.toErrorResponse();
        assertThat(error.getErrorObject().getCode()).isEqualTo("access_denied");
        assertThat(error.getErrorObject().getDescription()).contains(reason);
    }

    private static String describe(TokenResponse response) {
        return response.indicatesSuccess() ? "ok" : response.toErrorResponse().getErrorObject().toJSONObject().toString();
    }

    private JsonNode health(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(keycloak.managementUri() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check '" + name + "' in " + health);
    }

    private static String policy(int closedPort) {
        return """
                {"pdps": {"%s": {"url": "http://127.0.0.1:%d", "timeout": "PT0.5S", "cacheTtl": "PT0S"}},
                 "rules": [
                  {"name": "no-bad-bot", "match": "client.clientId == 'bad-bot'", "deny": "true",
                   "reason": "bad_bot", "message": "This client may not have tokens."},
                  {"name": "trial-tenant", "mode": "shadow", "match": "client.clientId == 'trial-bot'", "deny": "true",
                   "reason": "wrong_tenant", "message": "Would be refused."},
                  {"name": "one-token-an-hour", "match": "client.clientId == 'capped-bot'", "reason": "budget_exhausted",
                   "budget": {"key": "client", "limit": 1, "window": "PT1H"}},
                  {"name": "needs-team", "match": "client.clientId == 'broken-bot'",
                   "allowIf": "client.attributes['team'] == 'core'", "reason": "no_team", "message": "No team."},
                  {"name": "ask-the-pdp", "match": "client.clientId == 'pdp-bot'", "reason": "pdp_denied",
                   "onError": "allow",
                   "authzen": {"pdp": "%s", "subject": {"type": "'client'", "id": "client.clientId"},
                               "action": {"name": "'mint'"}, "resource": {"type": "'api'", "id": "'billing'"}}}
                 ]}
                """.formatted(PDP, closedPort, PDP);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
