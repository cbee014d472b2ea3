package io.mintgate.authorizer.keycloak.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.Mode;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.Outcome;
import io.mintgate.authorizer.policy.RuleFinding;
import org.junit.jupiter.api.Test;

/** What each kind of decision adds to which series, and that only fixed label values appear unless per-rule is on. */
class DecisionMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DecisionMetrics metrics = new DecisionMetrics(registry, false);

    @Test
    void anAllowCountsOnceWithReasonNoneAndEveryOtherPairOfItsGrantStartsAtZero() {
        metrics.record(request("acme", "client_credentials"), allow(), System.nanoTime());

        assertThat(decisions("acme", "allow", "none", "client_credentials")).isEqualTo(1.0);
        for (String[] pair : new String[][] {{"shadow", "rule"}, {"shadow", "budget_exhausted"}, {"deny", "rule"},
                {"deny", "budget_exhausted"}, {"error", "policy_error"}}) {
            assertThat(decisions("acme", pair[0], pair[1], "client_credentials")).as(String.join("/", pair)).isZero();
        }
        Timer latency = registry.find("mintgate_decision_seconds").tag("realm", "acme").timer();
        assertThat(latency.count()).isEqualTo(1);
        assertThat(latency.takeSnapshot().histogramCounts()).hasSize(DecisionMetrics.BUCKETS.length);
        assertThat(counter("mintgate_budget_exhausted_total", "realm", "acme", "mode", "enforce")).isZero();
        assertThat(counter("mintgate_rule_errors_total", "realm", "acme", "effect", "policy")).isZero();
    }

    @Test
    void aDenialByARuleCountsUnderRuleNotUnderTheAdminChosenReasonCode() {
        metrics.record(request("acme", "refresh_token"), deny("owner_inactive", "owners", List.of()), System.nanoTime());

        assertThat(decisions("acme", "deny", "rule", "refresh_token")).isEqualTo(1.0);
        assertThat(labelValues("reason")).doesNotContain("owner_inactive");
        assertThat(registry.find("mintgate_rule_denials_total").counters()).isEmpty();
    }

    @Test
    void anExhaustedBudgetCountsAsDenialAndAsBudgetExhaustion() {
        metrics.record(request("acme", "client_credentials"), deny("budget_exhausted", "daily-cap", List.of()),
                System.nanoTime());

        assertThat(decisions("acme", "deny", "budget_exhausted", "client_credentials")).isEqualTo(1.0);
        assertThat(counter("mintgate_budget_exhausted_total", "realm", "acme", "mode", "enforce")).isEqualTo(1.0);
        assertThat(counter("mintgate_budget_exhausted_total", "realm", "acme", "mode", "shadow")).isZero();
    }

    @Test
    void anAllowWithAShadowDenialIsAShadowOutcomeAndAShadowBudgetCountsAsShadowExhaustion() {
        metrics.record(request("acme", "password"), allow(new RuleFinding("new-rule", "wrong_tenant", Mode.SHADOW,
                false, "m")), System.nanoTime());
        metrics.record(request("acme", "password"), allow(new RuleFinding("cap", "budget_exhausted", Mode.SHADOW,
                false, "m")), System.nanoTime());

        assertThat(decisions("acme", "shadow", "rule", "password")).isEqualTo(1.0);
        assertThat(decisions("acme", "shadow", "budget_exhausted", "password")).isEqualTo(1.0);
        assertThat(decisions("acme", "allow", "none", "password")).isZero();
        assertThat(counter("mintgate_budget_exhausted_total", "realm", "acme", "mode", "shadow")).isEqualTo(1.0);
    }

    @Test
    void ruleErrorsCountByWhatTheyDid() {
        RuleFinding failedDenying = new RuleFinding("pdp", "policy_error", Mode.ENFORCE, true, "timeout");
        metrics.record(request("acme", "client_credentials"), deny("policy_error", "pdp", List.of(failedDenying)),
                System.nanoTime());
        metrics.record(request("acme", "client_credentials"), allow(
                new RuleFinding("lenient", "policy_error", Mode.ENFORCE, true, "no such key"),
                new RuleFinding("trial", "policy_error", Mode.SHADOW, true, "no such key")), System.nanoTime());
        RuleFinding wholePolicy = new RuleFinding(null, "policy_error", Mode.ENFORCE, true, "gone");
        metrics.record(request("acme", "client_credentials"), deny("policy_error", null, List.of(wholePolicy)),
                System.nanoTime());

        assertThat(decisions("acme", "error", "policy_error", "client_credentials")).isEqualTo(2.0);
        assertThat(decisions("acme", "allow", "none", "client_credentials")).isEqualTo(1.0);
        for (String effect : List.of("deny", "allow", "shadow", "policy")) {
            assertThat(counter("mintgate_rule_errors_total", "realm", "acme", "effect", effect)).as(effect).isEqualTo(1.0);
        }
    }

    @Test
    void perRuleMetersAppearOnlyWhenTheOptionIsOn() {
        DecisionMetrics perRule = new DecisionMetrics(registry, true);
        perRule.record(request("acme", "client_credentials"), deny("owner_inactive", "owners",
                List.of(new RuleFinding("trial", "wrong_tenant", Mode.SHADOW, false, "m"))), System.nanoTime());
        perRule.record(request("acme", "client_credentials"), allow(
                new RuleFinding("lenient", "policy_error", Mode.ENFORCE, true, "x")), System.nanoTime());

        assertThat(registry.get("mintgate_rule_denials_total").tags("realm", "acme", "rule", "owners",
                "reason", "owner_inactive", "mode", "enforce").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("mintgate_rule_denials_total").tags("realm", "acme", "rule", "trial",
                "reason", "wrong_tenant", "mode", "shadow").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("mintgate_rule_errors_by_rule_total").tags("realm", "acme", "rule", "lenient",
                "effect", "allow").counter().count()).isEqualTo(1.0);
    }

    @Test
    void grantTypesMapToTheFixedSetAndAnythingElseIsOther() {
        assertThat(DecisionMetrics.grantLabel("urn:ietf:params:oauth:grant-type:token-exchange")).isEqualTo("token_exchange");
        assertThat(DecisionMetrics.grantLabel("urn:openid:params:grant-type:ciba")).isEqualTo("ciba");
        assertThat(DecisionMetrics.grantLabel("urn:ietf:params:oauth:grant-type:pre-authorized_code"))
                .isEqualTo("pre_authorized_code");
        assertThat(DecisionMetrics.grantLabel("")).isEqualTo("none");
        assertThat(DecisionMetrics.grantLabel("urn:example:made-up")).isEqualTo("other");

        metrics.record(request("acme", "urn:example:made-up"), allow(), System.nanoTime());
        metrics.record(request("other-realm", "urn:example:made-up-too"), allow(), System.nanoTime());
        assertThat(labelValues("grant")).containsOnly("other");
        assertThat(decisions("acme", "allow", "none", "other")).isEqualTo(1.0);
        assertThat(decisions("other-realm", "allow", "none", "other")).isEqualTo(1.0);
    }

    @Test
    void theEffectLabelSaysWhatRuleErrorLogSays() {
        RuleFinding denying = new RuleFinding("r", "policy_error", Mode.ENFORCE, true, "x");
        Decision denied = deny("policy_error", "r", List.of(denying));
        assertThat(DecisionMetrics.effect(denied, denying)).isEqualTo("deny");
        assertThat(RuleErrorLog.effect(denied, denying)).startsWith("onError deny");
        RuleFinding skipped = new RuleFinding("s", "policy_error", Mode.ENFORCE, true, "x");
        assertThat(DecisionMetrics.effect(denied, skipped)).isEqualTo("allow");
        assertThat(RuleErrorLog.effect(denied, skipped)).startsWith("onError allow");
    }

    private double decisions(String realm, String outcome, String reason, String grant) {
        return registry.get("mintgate_decisions_total")
                .tags("realm", realm, "outcome", outcome, "reason", reason, "grant", grant).counter().count();
    }

    private double counter(String name, String... tags) {
        Counter counter = registry.get(name).tags(tags).counter();
        return counter.count();
    }

    private List<String> labelValues(String key) {
        return registry.getMeters().stream().map(Meter::getId).filter(id -> id.getName().equals("mintgate_decisions_total"))
                .map(id -> id.getTag(key)).distinct().toList();
    }

    private static IssuanceRequest request(String realm, String grantType) {
        return new IssuanceRequest(realm, null, "TOKEN_RESPONSE", new Grant(grantType, List.of(), List.of(), List.of(), ""),
                null, null, null, null, null, null, null);
    }

    private static Decision allow(RuleFinding... findings) {
        return new Decision("id", Outcome.ALLOW, null, null, null, null, "v", List.of(findings), Obligations.NONE);
    }

    private static Decision deny(String reason, String rule, List<RuleFinding> findings) {
        return new Decision("id", Outcome.DENY, reason, "m", rule, Mode.ENFORCE, "v", findings, Obligations.NONE);
    }
}
