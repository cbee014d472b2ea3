package io.mintgate.authorizer.policy;

import static io.mintgate.authorizer.policy.Requests.ciRunner;
import static io.mintgate.authorizer.policy.Requests.compile;
import static io.mintgate.authorizer.policy.Requests.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyEvaluationTest {

    @Test
    void theEmptyPolicySetAllowsEverything() {
        Decision d = PolicySet.EMPTY.evaluate(ciRunner());
        assertThat(d.allowed()).isTrue();
        assertThat(d.obligations().isEmpty()).isTrue();
        assertThat(d.findings()).isEmpty();
    }

    @Test
    void denyRuleRefusesWithItsReasonAndMessageWhenTheExpressionIsTrue() {
        PolicySet policy = rule("""
                "name": "wrong-repo", "reason": "workload_mismatch", "message": "use the approved repository",
                "deny": "workload.claims['repository'] != 'acme/other'"
                """);
        Decision d = policy.evaluate(ciRunner());
        assertThat(d.outcome()).isEqualTo(Outcome.DENY);
        assertThat(d.reason()).isEqualTo("workload_mismatch");
        assertThat(d.message()).isEqualTo("use the approved repository");
        assertThat(d.rule()).isEqualTo("wrong-repo");
        assertThat(d.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(d.policyVersion()).isEqualTo(policy.version()).startsWith("sha256:");
    }

    @Test
    void denyRuleAllowsWhenTheExpressionIsFalse() {
        assertThat(rule("\"name\": \"r\", \"reason\": \"x\", \"deny\": \"workload.claims['repository'] != 'acme/app'\"")
                .evaluate(ciRunner()).allowed()).isTrue();
    }

    @Test
    void allowIfRuleRefusesWhenTheExpressionIsFalse() {
        PolicySet policy = rule("\"name\": \"r\", \"reason\": \"not_main\", \"allowIf\": \"workload.claims['ref'] == 'refs/heads/release'\"");
        assertThat(policy.evaluate(ciRunner()).reason()).isEqualTo("not_main");
    }

    @Test
    void aRuleWhoseMatchIsFalseIsSkipped() {
        PolicySet policy = rule("\"name\": \"r\", \"reason\": \"x\", \"match\": \"'admin' in grant.scopes\", \"deny\": \"true\"");
        assertThat(policy.evaluate(ciRunner()).allowed()).isTrue();
        assertThat(policy.evaluate(Requests.withScopes(ciRunner(), "admin")).allowed()).isFalse();
    }

    @Test
    void aMatchedRuleEvaluatesItsConditionOnlyWhenItMatchesAndAMatchErrorIsStillAnError() {
        // Rules with a match and no obligations run as one program (match ? deny : false): same semantics.
        assertThat(compile("""
                {"rules": [{"name": "r", "reason": "x", "match": "false", "deny": "int('boom') == 1"}]}
                """).evaluate(ciRunner()).findings()).isEmpty();
        Decision matchError = compile("""
                {"rules": [{"name": "r", "reason": "x", "match": "int('boom') == 1", "deny": "false"}]}
                """).evaluate(ciRunner());
        assertThat(matchError.reason()).isEqualTo("policy_error");
        Decision allowIfFalse = compile("""
                {"rules": [{"name": "r", "reason": "not_main", "match": "true", "allowIf": "false"}]}
                """).evaluate(ciRunner());
        assertThat(allowIfFalse.reason()).isEqualTo("not_main");
        assertThat(compile("""
                {"rules": [{"name": "r", "reason": "x", "match": "true", "allowIf": "true"}]}
                """).evaluate(ciRunner()).allowed()).isTrue();
    }

    @Test
    void aDeniedRequestGetsTheDefaultMessageWhenTheRuleHasNone() {
        assertThat(rule("\"name\": \"r\", \"reason\": \"x\", \"deny\": \"true\"").evaluate(ciRunner()).message())
                .isEqualTo(RuleCompiler.DEFAULT_MESSAGE);
    }

    @Test
    void theFirstDenyingEnforceRuleWinsAndLaterRulesAreNotEvaluated() {
        PolicySet policy = compile("""
                {"rules": [
                  {"name": "first", "reason": "one", "deny": "true"},
                  {"name": "second", "reason": "two", "deny": "true"},
                  {"name": "shadow-after", "reason": "three", "mode": "shadow", "deny": "true"}]}
                """);
        Decision d = policy.evaluate(ciRunner());
        assertThat(d.rule()).isEqualTo("first");
        assertThat(d.findings()).isEmpty();
    }

    @Test
    void aShadowRuleThatWouldDenyOnlyRecordsAFinding() {
        PolicySet policy = compile("""
                {"rules": [
                  {"name": "trial", "reason": "trial_deny", "mode": "shadow", "deny": "true",
                   "obligations": {"keepScopes": "['read']"}},
                  {"name": "trial-allow", "reason": "never", "mode": "shadow", "deny": "false",
                   "obligations": {"keepScopes": "['nothing']"}}]}
                """);
        Decision d = policy.evaluate(ciRunner());
        assertThat(d.allowed()).isTrue();
        assertThat(d.findings()).containsExactly(new RuleFinding("trial", "trial_deny", Mode.SHADOW, false, RuleCompiler.DEFAULT_MESSAGE));
        assertThat(d.obligations().isEmpty()).as("shadow rules never narrow tokens").isTrue();
    }

    @Test
    void shadowFindingsBeforeAnEnforcedDenialAreKept() {
        PolicySet policy = compile("""
                {"rules": [
                  {"name": "trial", "reason": "trial_deny", "mode": "shadow", "deny": "true"},
                  {"name": "real", "reason": "real_deny", "deny": "true"}]}
                """);
        Decision d = policy.evaluate(ciRunner());
        assertThat(d.reason()).isEqualTo("real_deny");
        assertThat(d.findings()).extracting(RuleFinding::rule).containsExactly("trial");
    }

    @Test
    void anEvaluationErrorDeniesWithPolicyErrorByDefaultWithoutLeakingTheExpression() {
        PolicySet policy = rule("\"name\": \"attr\", \"reason\": \"x\", \"message\": \"m\", \"deny\": \"client.attributes['secret.flag'] == 'on'\"");
        Decision d = policy.evaluate(ciRunner());
        assertThat(d.outcome()).isEqualTo(Outcome.DENY);
        assertThat(d.reason()).isEqualTo("policy_error");
        assertThat(d.rule()).isEqualTo("attr");
        assertThat(d.message()).doesNotContain("secret.flag").doesNotContain("attributes");
        assertThat(d.findings()).singleElement().satisfies(f -> {
            assertThat(f.error()).isTrue();
            assertThat(f.rule()).isEqualTo("attr");
            assertThat(f.reason()).isEqualTo("policy_error");
            assertThat(f.detail()).contains("rules[0].deny").contains("secret.flag");
        });
    }

    @Test
    void anEvaluationErrorWithOnErrorAllowIsRecordedAndEvaluationContinues() {
        PolicySet policy = compile("""
                {"rules": [
                  {"name": "lenient", "reason": "x", "onError": "allow", "deny": "client.attributes['missing'] == 'x'"},
                  {"name": "next", "reason": "y", "deny": "false", "obligations": {"keepScopes": "['read']"}}]}
                """);
        Decision d = policy.evaluate(ciRunner());
        assertThat(d.allowed()).isTrue();
        assertThat(d.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("lenient");
            assertThat(f.error()).isTrue();
        });
        assertThat(d.obligations().keepScopes()).containsExactly("read");
    }

    @Test
    void anErrorInAShadowRuleNeverDenies() {
        Decision d = rule("\"name\": \"s\", \"reason\": \"x\", \"mode\": \"shadow\", \"deny\": \"client.attributes['missing'] == 'x'\"")
                .evaluate(ciRunner());
        assertThat(d.allowed()).isTrue();
        assertThat(d.findings()).singleElement().extracting(RuleFinding::error).isEqualTo(true);
    }

    @Test
    void aFailingObligationFollowsTheRulesOnError() {
        PolicySet policy = rule("""
                "name": "o", "reason": "x", "deny": "false",
                "obligations": {"maxAccessTokenLifetime": "duration('-5m')"}
                """);
        assertThat(policy.evaluate(ciRunner()).reason()).isEqualTo("policy_error");
    }

    @Test
    void aDynValueOfTheWrongTypeIsAnEvaluationError() {
        PolicySet policy = rule("\"name\": \"d\", \"reason\": \"x\", \"deny\": \"workload.claims['repository']\"");
        Decision d = policy.evaluate(ciRunner());
        assertThat(d.reason()).isEqualTo("policy_error");
        assertThat(d.findings().get(0).detail()).contains("expected bool");
    }

    @Test
    void variablesAreSharedByRulesAndMayBuildOnEachOther() {
        PolicySet policy = compile("""
                {"variables": [
                   {"name": "isCi", "expression": "client.attributes['mintgate.kind'] == 'ci-runner'"},
                   {"name": "ciDeploy", "expression": "variables.isCi && 'deploy' in grant.scopes"}],
                 "rules": [{"name": "r", "reason": "x", "match": "variables.ciDeploy", "deny": "network.sourceAddress == '10.20.30.40'"}]}
                """);
        assertThat(policy.evaluate(ciRunner()).allowed()).isFalse();
        assertThat(policy.evaluate(Requests.withScopes(ciRunner(), "read")).allowed()).isTrue();
    }

    @Test
    void aFailingVariableFailsTheRuleThatReadsIt() {
        PolicySet policy = compile("""
                {"variables": [{"name": "flag", "expression": "client.attributes['absent'] == 'on'"}],
                 "rules": [{"name": "r", "reason": "x", "deny": "variables.flag"}]}
                """);
        Decision d = policy.evaluate(ciRunner());
        assertThat(d.reason()).isEqualTo("policy_error");
        assertThat(d.findings().get(0).detail()).contains("flag");
    }

    @Test
    void theEventAndRealmAreVisibleToRules() {
        PolicySet policy = rule("\"name\": \"r\", \"reason\": \"x\", \"match\": \"realm == 'acme'\", \"deny\": \"event == 'REFRESH_TOKEN'\"");
        assertThat(policy.evaluate(ciRunner()).allowed()).isTrue();
        assertThat(policy.evaluate(Requests.withEvent(ciRunner(), "REFRESH_TOKEN")).allowed()).isFalse();
    }

    @Test
    void comprehensionsAreBoundedSoAPolicyCannotStallIssuance() {
        PolicySet policy = rule("\"name\": \"r\", \"reason\": \"x\", \"deny\": \"[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, a + b + c > 0)))\"");
        Decision d = policy.evaluate(ciRunner());
        assertThat(d.reason()).isEqualTo("policy_error");
    }

    @Test
    void decisionIdsAreUniqueAndTimeOrdered() throws Exception {
        Set<String> ids = new HashSet<>();
        String first = PolicySet.EMPTY.evaluate(ciRunner()).id();
        for (int i = 0; i < 10_000; i++) {
            ids.add(PolicySet.EMPTY.evaluate(ciRunner()).id());
        }
        Thread.sleep(2);
        String later = PolicySet.EMPTY.evaluate(ciRunner()).id();
        assertThat(ids).hasSize(10_000);
        assertThat(first).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(later.substring(0, 13)).isGreaterThan(first.substring(0, 13));
    }
}
