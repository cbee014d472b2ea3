package io.mintgate.authorizer.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintgate.authorizer.policy.DecisionTrace.Result;
import io.mintgate.authorizer.policy.DecisionTrace.Step;
import io.mintgate.authorizer.policy.authzen.AuthzenClient;
import io.mintgate.authorizer.policy.budget.BudgetCounters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The per-rule trace the simulator shows: every kind of step (skipped, allowed, denied with the first part that
 * refused, shadow-denied, error, deferred budget, not evaluated), filled by the engine's own decision, which must be
 * the same with a trace as without one.
 */
class DecisionTraceTest {

    private static PolicySet policy(String json) {
        try {
            return PolicyCompiler.compile(json);
        } catch (PolicyValidationException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /**
     * Evaluates with a trace, checks the decision equals the untraced one (each with fresh services: budgets count),
     * and returns the trace's steps.
     */
    private static List<Step> trace(PolicySet policy, IssuanceRequest request, Supplier<DecisionServices> services) {
        DecisionTrace trace = new DecisionTrace();
        Decision traced = policy.evaluate(request, services.get(), trace);
        Decision live = policy.evaluate(request, services.get());
        assertThat(traced).usingRecursiveComparison().ignoringFields("id").isEqualTo(live);
        return trace.steps();
    }

    private static List<Step> trace(PolicySet policy, IssuanceRequest request) {
        return trace(policy, request, () -> DecisionServices.NONE);
    }

    private static Step step(String rule, Mode mode, Result result) {
        return new Step(rule, mode, result, null, null, null, null, null, false);
    }

    /** Five plain rules in a row: the engine asks them as one program (RuleGroup). */
    private static final String GROUPED = """
            {"rules": [
              {"name": "no-agents", "reason": "agents_blocked", "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent'", "deny": "true"},
              {"name": "ci-env", "reason": "workload_mismatch", "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ci-runner'",
               "allowIf": "workload.claims[?'environment'].orValue('') in ['production', 'staging']"},
              {"name": "no-admin", "reason": "admin_scope", "message": "no admin scopes", "deny": "'admin' in grant.scopes"},
              {"name": "internal", "reason": "unexpected_network", "allowIf": "network.sourceAddress.inCidr(['10.0.0.0/8'])"},
              {"name": "no-write", "reason": "write_blocked", "match": "client.clientId == 'other'", "deny": "'write' in grant.scopes"}
            ]}""";

    @Test
    void rulesAskedAsOneProgramAreEachSkippedOrAllowed() {
        PolicySet policy = policy(GROUPED);
        assertThat(policy.groups()).as("the rules are grouped").isNotEmpty();

        assertThat(trace(policy, Requests.ciRunner())).containsExactly(
                step("no-agents", Mode.ENFORCE, Result.SKIPPED),
                step("ci-env", Mode.ENFORCE, Result.ALLOWED),
                step("no-admin", Mode.ENFORCE, Result.ALLOWED),
                step("internal", Mode.ENFORCE, Result.ALLOWED),
                step("no-write", Mode.ENFORCE, Result.SKIPPED));
    }

    @Test
    void theDenyingRuleNamesItsConditionAndTheRulesAfterItAreNotEvaluated() {
        List<Step> steps = trace(policy(GROUPED), Requests.withScopes(Requests.ciRunner(), "read", "admin"));

        assertThat(steps.subList(0, 2)).containsExactly(step("no-agents", Mode.ENFORCE, Result.SKIPPED),
                step("ci-env", Mode.ENFORCE, Result.ALLOWED));
        assertThat(steps.get(2)).isEqualTo(new Step("no-admin", Mode.ENFORCE, Result.DENIED, "admin_scope",
                "no admin scopes", "rules[2].deny", "'admin' in grant.scopes", null, true));
        assertThat(steps.subList(3, 5)).containsExactly(step("internal", Mode.ENFORCE, Result.NOT_EVALUATED),
                step("no-write", Mode.ENFORCE, Result.NOT_EVALUATED));
    }

    @Test
    void anAllowIfThatIsFalseIsTheFailedCondition() {
        IssuanceRequest staging = Requests.with(Requests.ciRunner(), new WorkloadInfo("iss", "sub", Map.of("environment", "dev")));
        Step ciEnv = trace(policy(GROUPED), staging).get(1);

        assertThat(ciEnv.result()).isEqualTo(Result.DENIED);
        assertThat(ciEnv.failedField()).isEqualTo("rules[1].allowIf");
        assertThat(ciEnv.failedExpression()).isEqualTo("workload.claims[?'environment'].orValue('') in ['production', 'staging']");
        assertThat(ciEnv.reason()).isEqualTo("workload_mismatch");
        assertThat(ciEnv.message()).isEqualTo("The token request was refused by policy.");
    }

    @Test
    void aShadowRuleThatWouldDenyIsShadowDeniedAndEvaluationGoesOn() {
        PolicySet policy = policy("""
                {"rules": [
                  {"name": "watch-deploy", "reason": "deploy_watch", "mode": "shadow", "match": "grant.type == 'client_credentials'",
                   "deny": "'deploy' in grant.scopes"},
                  {"name": "watch-admin", "reason": "admin_watch", "mode": "shadow", "deny": "'admin' in grant.scopes"},
                  {"name": "last", "reason": "never", "match": "true", "deny": "false"}
                ]}""");

        List<Step> steps = trace(policy, Requests.ciRunner());

        assertThat(steps.get(0)).isEqualTo(new Step("watch-deploy", Mode.SHADOW, Result.SHADOW_DENIED, "deploy_watch",
                "The token request was refused by policy.", "rules[0].deny", "'deploy' in grant.scopes", null, false));
        assertThat(steps.get(1)).isEqualTo(step("watch-admin", Mode.SHADOW, Result.ALLOWED));
        assertThat(steps.get(2)).isEqualTo(step("last", Mode.ENFORCE, Result.ALLOWED));
    }

    @Test
    void aRuleWithObligationsThatAppliesIsAllowedAndOneWhoseMatchIsFalseSkipped() {
        PolicySet policy = policy("""
                {"rules": [
                  {"name": "narrow-ci", "reason": "ci", "match": "client.clientId == 'ci-runner'", "allowIf": "true",
                   "obligations": {"keepScopes": "['read']"}},
                  {"name": "narrow-other", "reason": "other", "match": "client.clientId == 'other'", "allowIf": "true",
                   "obligations": {"keepScopes": "['none']"}}
                ]}""");

        assertThat(trace(policy, Requests.ciRunner())).containsExactly(step("narrow-ci", Mode.ENFORCE, Result.ALLOWED),
                step("narrow-other", Mode.ENFORCE, Result.SKIPPED));
    }

    @Test
    void anErrorNamesItsDetailAndWhetherItRefused() {
        PolicySet policy = policy("""
                {"rules": [
                  {"name": "lenient", "reason": "team", "onError": "allow", "deny": "client.attributes['team'] == 'x'"},
                  {"name": "shadowed", "reason": "team", "mode": "shadow", "deny": "client.attributes['team'] == 'x'"},
                  {"name": "strict", "reason": "team", "deny": "client.attributes['team'] == 'x'"},
                  {"name": "after", "reason": "never", "deny": "false"}
                ]}""");

        List<Step> steps = trace(policy, Requests.ciRunner());

        assertThat(steps.get(0).result()).isEqualTo(Result.ERROR);
        assertThat(steps.get(0).refused()).isFalse();
        assertThat(steps.get(0).reason()).isNull();
        assertThat(steps.get(0).detail()).startsWith("rules[0].deny").contains("team");
        assertThat(steps.get(1).result()).isEqualTo(Result.ERROR);
        assertThat(steps.get(1).mode()).isEqualTo(Mode.SHADOW);
        assertThat(steps.get(1).refused()).isFalse();
        assertThat(steps.get(2)).isEqualTo(new Step("strict", Mode.ENFORCE, Result.ERROR, "policy_error",
                "The token request could not be authorized.", null, null, steps.get(2).detail(), true));
        assertThat(steps.get(2).detail()).startsWith("rules[2].deny");
        assertThat(steps.get(3).result()).isEqualTo(Result.NOT_EVALUATED);
    }

    private static final String PDP_RULE = """
            {"pdps": {"p": {"url": "https://pdp.example"}},
             "rules": [{"name": "via-pdp", "reason": "pdp_denied", "message": "The PDP said no.",
                        "allowIf": "grant.type == 'client_credentials'",
                        "authzen": {"pdp": "p", "subject": {"type": "'client'", "id": "client.clientId"},
                                    "action": {"name": "'mint'"}, "resource": {"type": "'api'", "id": "'x'"}}}]}""";

    private static DecisionServices pdpAnswering(boolean answer) {
        return new DecisionServices() {
            @Override
            public <T> T facility(Class<T> type) {
                AuthzenClient client = query -> new io.mintgate.authorizer.policy.authzen.AuthzenAnswer(new boolean[] {answer});
                return type == AuthzenClient.class ? type.cast(client) : null;
            }
        };
    }

    @Test
    void aPdpRefusalNamesTheAuthzenCheckAndAnUnreachablePdpIsAnError() {
        PolicySet policy = policy(PDP_RULE);

        assertThat(trace(policy, Requests.ciRunner(), () -> pdpAnswering(true)))
                .containsExactly(step("via-pdp", Mode.ENFORCE, Result.ALLOWED));
        assertThat(trace(policy, Requests.ciRunner(), () -> pdpAnswering(false))).containsExactly(new Step("via-pdp",
                Mode.ENFORCE, Result.DENIED, "pdp_denied", "The PDP said no.", "rules[0].authzen", null, null, true));
        Step unreachable = trace(policy, Requests.ciRunner()).get(0);
        assertThat(unreachable.result()).isEqualTo(Result.ERROR);
        assertThat(unreachable.refused()).isTrue();
        assertThat(unreachable.detail()).contains("AuthzenClient");
    }

    /** Counters that grant {@code left} units in all, whatever the counter. */
    private static DecisionServices budgetLeft(int left) {
        Map<String, Integer> taken = new HashMap<>();
        BudgetCounters counters = (counter, limit, expiresAt) -> taken.merge("all", 1, Integer::sum) <= left;
        return new DecisionServices() {
            @Override
            public <T> T facility(Class<T> type) {
                return type == BudgetCounters.class ? type.cast(counters) : null;
            }
        };
    }

    private static final String BUDGET_THEN_RULE = """
            {"rules": [
              {"name": "ci-budget", "reason": "budget_exhausted", "budget": {"key": "client", "limit": 5, "window": "PT1H"}},
              {"name": "no-admin", "reason": "admin_scope", "deny": "'admin' in grant.scopes"}
            ]}""";

    @Test
    void aBudgetIsDeferredUntilEveryRuleAllowedThenAllowedOrDenied() {
        PolicySet policy = policy(BUDGET_THEN_RULE);
        IssuanceRequest request = Requests.withScopes(Requests.ciRunner(), "read");

        assertThat(trace(policy, request, () -> budgetLeft(1))).containsExactly(step("ci-budget", Mode.ENFORCE, Result.ALLOWED),
                step("no-admin", Mode.ENFORCE, Result.ALLOWED));
        Step exhausted = trace(policy, request, () -> budgetLeft(0)).get(0);
        assertThat(exhausted.result()).isEqualTo(Result.DENIED);
        assertThat(exhausted.reason()).isEqualTo("budget_exhausted");
        assertThat(exhausted.failedField()).isEqualTo("rules[0].budget");
        assertThat(exhausted.failedExpression()).isNull();
        assertThat(exhausted.message()).startsWith("Issuance budget of 5 per PT1H");

        List<Step> refusedLater = trace(policy, Requests.withScopes(Requests.ciRunner(), "admin"), () -> budgetLeft(1));
        assertThat(refusedLater.get(0)).as("budget never consulted").isEqualTo(step("ci-budget", Mode.ENFORCE, Result.DEFERRED));
        assertThat(refusedLater.get(1).result()).isEqualTo(Result.DENIED);

        Step unreachable = trace(policy, request).get(0);
        assertThat(unreachable.result()).isEqualTo(Result.ERROR);
        assertThat(unreachable.detail()).contains("BudgetCounters");
    }

    @Test
    void aShadowBudgetOverItsLimitIsShadowDenied() {
        PolicySet policy = policy("""
                {"rules": [{"name": "watch-budget", "reason": "budget_exhausted", "mode": "shadow",
                            "budget": {"key": "client", "limit": 1, "window": "PT1H"}}]}""");

        Step step = trace(policy, Requests.ciRunner(), () -> budgetLeft(0)).get(0);

        assertThat(step.result()).isEqualTo(Result.SHADOW_DENIED);
        assertThat(step.failedField()).isEqualTo("rules[0].budget");
        assertThat(step.refused()).isFalse();
    }

    @Test
    void aTraceRecordsOneEvaluation() {
        PolicySet policy = policy(GROUPED);
        DecisionTrace trace = new DecisionTrace();
        policy.evaluate(Requests.ciRunner(), DecisionServices.NONE, trace);

        assertThatThrownBy(() -> policy.evaluate(Requests.ciRunner(), DecisionServices.NONE, trace))
                .isInstanceOf(IllegalStateException.class);
        assertThat(new DecisionTrace().steps()).isEmpty();
    }
}
