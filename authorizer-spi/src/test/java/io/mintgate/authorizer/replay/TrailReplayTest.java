package io.mintgate.authorizer.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.authorizer.policy.ClientInfo;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.DeferredList;
import io.mintgate.authorizer.policy.DeferredMap;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.ObligationsJson;
import io.mintgate.authorizer.policy.PolicyCompiler;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.RequestCapture;
import io.mintgate.authorizer.replay.ReplayReport.Change;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Known traffic recorded under a live policy, replayed with a draft: the exact counts of what would change. */
class TrailReplayTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    static final String LIVE = """
            {"rules": [
              {"name": "no-rogue", "reason": "rogue", "match": "client.clientId == 'rogue'", "deny": "true"},
              {"name": "narrow-beta", "reason": "narrow", "match": "client.clientId == 'beta'", "allowIf": "true",
               "obligations": {"keepScopes": "['read']"}}
            ]}""";

    static final String DRAFT = """
            {"rules": [
              {"name": "no-write", "reason": "no_write", "match": "client.clientId == 'alpha'", "deny": "'write' in grant.scopes"},
              {"name": "narrow-beta", "reason": "narrow", "match": "client.clientId == 'beta'", "allowIf": "true",
               "obligations": {"keepScopes": "['read']", "maxAccessTokenLifetime": "duration('5m')"}},
              {"name": "gamma-roles", "reason": "role", "match": "client.clientId == 'gamma'", "allowIf": "'x' in client.roles"},
              {"name": "delta-budget", "reason": "budget_exhausted", "match": "client.clientId == 'delta'",
               "budget": {"key": "client.clientId", "limit": 5, "window": "PT1H"}}
            ]}""";

    private final PolicySet live = compile(LIVE);
    private final List<String> lines = new ArrayList<>();
    private final Map<String, List<String>> decisionIds = new java.util.HashMap<>();
    private int minute;

    @Test
    void aDraftGivesTheExactCountsOfChangedDecisionsPerRuleAndClient() throws Exception {
        traffic("alpha", 6);
        traffic("beta", 4);
        traffic("rogue", 3);
        traffic("gamma", 2);
        traffic("delta", 1);
        traffic("omega", 5);
        lines.add("{\"specversion\":\"1.0\",\"type\":\"io.mintgate.audit.checkpoint\",\"data\":{\"chain\":\"kc-0\"}}");
        lines.add("{\"specversion\":\"1.0\",\"type\":\"io.mintgate.token.revoked\",\"time\":\"2026-03-01T10:30:00Z\",\"data\":{\"realm\":\"acme\"}}");
        ObjectNode old = record("alpha", "acme", START.plusSeconds(60 * 40));
        ((ObjectNode) old.path("data").path("details")).remove("mintgate_request");
        lines.add(old.toString());
        lines.add(record("alpha", "other", START.plusSeconds(60 * 41)).toString());
        lines.add(record("alpha", "acme", START.minusSeconds(1)).toString());
        lines.add("not json {");

        TrailReplay replay = new TrailReplay(compile(DRAFT), START, START.plusSeconds(3600), "acme");
        lines.forEach(replay::line);
        ReplayReport report = replay.report();

        assertThat(report.records()).isEqualTo(27);
        assertThat(report.count(Change.ALLOW_TO_DENY)).isEqualTo(6);
        assertThat(report.count(Change.DENY_TO_ALLOW)).isEqualTo(3);
        assertThat(report.count(Change.NARROWING_CHANGED)).isEqualTo(4);
        assertThat(report.narrowedObligations()).isEqualTo(Map.of("maxAccessTokenLifetime", 4L));
        assertThat(report.unchanged()).isEqualTo(5);
        assertThat(report.notReplayable()).isEqualTo(3);
        assertThat(report.skipped()).isEqualTo(6);
        assertThat(report.skippedReasons()).containsEntry("another realm", 1L).containsEntry("outside the time window", 1L)
                .containsEntry("not a JSON record", 1L)
                .containsEntry("no captured request (recorded before capture, or a front-channel refusal)", 1L)
                .containsEntry("not an issuance decision (io.mintgate.audit.checkpoint)", 1L)
                .containsEntry("not an issuance decision (io.mintgate.token.revoked)", 1L);
        assertThat(report.notReplayableReasons()).containsEntry("reads client.roles, not captured", 2L)
                .containsEntry("asks a live service (BudgetCounters)", 1L);

        assertThat(report.rule("no-write")).isEqualTo(Map.of("allowToDeny", 6L));
        assertThat(report.rule("no-rogue")).isEqualTo(Map.of("denyToAllow", 3L));
        assertThat(report.rule("gamma-roles")).isEqualTo(Map.of("notReplayable", 2L));
        assertThat(report.rule("delta-budget")).isEqualTo(Map.of("notReplayable", 1L));
        assertThat(report.client("alpha")).isEqualTo(Map.of("allowToDeny", 6L));
        assertThat(report.client("beta")).isEqualTo(Map.of("narrowingChanged", 4L));
        assertThat(report.client("omega")).isEqualTo(Map.of("unchanged", 5L));

        assertThat(report.examples(Change.ALLOW_TO_DENY)).hasSize(ReplayReport.EXAMPLES)
                .isSubsetOf(decisionIds.get("alpha"));
        assertThat(report.examples(Change.DENY_TO_ALLOW)).containsExactlyElementsOf(decisionIds.get("rogue"));
        assertThat(report.examples(Change.NARROWING_CHANGED)).containsExactlyElementsOf(decisionIds.get("beta"));
    }

    @Test
    void theLivePolicyItselfChangesNothing() {
        traffic("alpha", 3);
        traffic("beta", 2);
        traffic("rogue", 2);
        TrailReplay replay = new TrailReplay(live, null, null, null);
        lines.forEach(replay::line);
        assertThat(replay.report().unchanged()).isEqualTo(7);
        assertThat(replay.report().toMap()).containsEntry("replayed", 7L);
    }

    private void traffic(String client, int count) {
        for (int i = 0; i < count; i++) {
            lines.add(record(client, "acme", START.plusSeconds(60L * minute++)).toString());
        }
    }

    /** The record the audit listener writes for a token request of {@code client} that the live policy decided. */
    private ObjectNode record(String client, String realm, Instant time) {
        Map<String, String> attributes = Map.of("env", "prod");
        IssuanceRequest request = new IssuanceRequest(realm, time, "CLIENT_LOGIN",
                new Grant("client_credentials", List.of("read", "write"), List.of(), List.of(), null),
                new ClientInfo("id-" + client, client, "client-secret", false,
                        DeferredMap.ofKeyed(attributes::get, () -> attributes), DeferredList.of(() -> List.of("x")),
                        List.of()), null, null, null, null, null, null);
        Decision decision = live.evaluate(request);
        decisionIds.computeIfAbsent(client, c -> new ArrayList<>()).add(decision.id());
        ObjectNode record = JSON.createObjectNode();
        record.put("specversion", "1.0").put("id", "kc-" + lines.size())
                .put("type", decision.allowed() ? "io.mintgate.token.issued" : "io.mintgate.token.denied")
                .put("time", time.toString());
        ObjectNode data = record.putObject("data").put("realm", realm).put("clientId", client);
        ObjectNode d = data.putObject("decision").put("id", decision.id()).put("outcome", decision.allowed() ? "allow" : "deny");
        if (decision.rule() != null) {
            d.put("rule", decision.rule());
        }
        ObjectNode details = data.putObject("details").put("mintgate_request", RequestCapture.encode(request));
        if (decision.allowed() && !decision.obligations().isEmpty()) {
            details.put("mintgate_obligations", ObligationsJson.write(decision.obligations(), decision.id()));
        }
        return record;
    }

    static PolicySet compile(String source) {
        try {
            return PolicyCompiler.compile(source);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
