package io.mintgate.authorizer.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PolicyTestsTest {

    private static final String RULES = """
            "rules": [
              {"name": "no-agents", "reason": "agents_blocked",
               "deny": "client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent'"},
              {"name": "night-watch", "mode": "shadow", "reason": "night", "deny": "now.getHours('UTC') < 6"},
              {"name": "ci-narrow", "reason": "ci_narrowed", "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ci-runner'",
               "deny": "false",
               "obligations": {"keepScopes": "['read']", "maxAccessTokenLifetime": "duration('10m')",
                               "refreshToken": "false", "claims": {"team": "'ci'"}}}
            ]""";

    private static List<PolicyProblem> problems(String tests) throws PolicyValidationException {
        String source = "{" + RULES + ", \"tests\": " + tests + "}";
        return PolicyTests.problems(source, PolicyCompiler.compile(source));
    }

    @Test
    void passingCasesCompareOnlyWhatTheyStateAndUseTheFixedClock() throws Exception {
        assertThat(problems("""
                [{"name": "agents are refused", "request": {"client": {"clientId": "bot", "attributes": {"mintgate.kind": "ai-agent"}}},
                  "expect": {"outcome": "deny", "reason": "agents_blocked", "rule": "no-agents"}},
                 {"name": "ci is narrowed", "request": {"grant": {"type": "client_credentials", "scopes": ["read", "write"]},
                   "client": {"clientId": "ci", "attributes": {"mintgate.kind": "ci-runner"}}},
                  "expect": {"outcome": "allow", "shadowDenials": ["night-watch"],
                   "obligations": {"keepScopes": ["read"], "maxAccessTokenLifetime": "10m", "refreshToken": false,
                                   "claims": {"team": "ci"}, "keepAudiences": null}}},
                 {"name": "by day no shadow denial", "request": {"time": "2026-03-01T12:00:00Z"},
                  "expect": {"outcome": "allow", "shadowDenials": []}}]""")).isEmpty();
    }

    @Test
    void aFailingCaseIsAProblemNamingTheCaseAndEveryDifference() throws Exception {
        List<PolicyProblem> problems = problems("""
                [{"name": "ci keeps write", "request": {"client": {"attributes": {"mintgate.kind": "ci-runner"}}},
                  "expect": {"outcome": "allow", "obligations": {"keepScopes": ["read", "write"], "maxAccessTokenLifetime": "PT1H"}}},
                 {"name": "agents pass", "request": {"client": {"attributes": {"mintgate.kind": "ai-agent"}}},
                  "expect": {"outcome": "allow"}}]""");
        assertThat(problems).extracting(PolicyProblem::toString).containsExactly(
                "tests[0]: case 'ci keeps write' failed: obligations.keepScopes expected [read, write], got [read]; "
                        + "obligations.maxAccessTokenLifetime expected PT1H, got PT10M",
                "tests[1]: case 'agents pass' failed: outcome expected allow, got deny (rule no-agents, reason agents_blocked)");
    }

    @Test
    void aCaseStatesAuthorizationDetailsInItsRequestAndTheirLimitsInItsExpectation() throws Exception {
        String source = """
                {"rules": [{"name": "pay", "reason": "amount_too_high",
                            "deny": "grant.authorizationDetails.exists(d, double(d.instructedAmount.amount) > 100.0)",
                            "obligations": {"keepAuthorizationDetailTypes": "['payment_initiation']",
                                            "keepAuthorizationDetailActions": "['status']"}}],
                 "tests": [
                  {"name": "small payment", "request": {"grant": {"authorizationDetails": [
                     {"type": "payment_initiation", "actions": ["initiate"], "instructedAmount": {"amount": "5"}}]}},
                   "expect": {"outcome": "allow", "obligations": {"keepAuthorizationDetailTypes": ["payment_initiation"],
                              "keepAuthorizationDetailActions": ["status"], "keepAuthorizationDetailLocations": null}}},
                  {"name": "large payment", "request": {"grant": {"authorizationDetails": [
                     {"type": "payment_initiation", "instructedAmount": {"amount": "500"}}]}},
                   "expect": {"outcome": "deny", "reason": "amount_too_high"}},
                  {"name": "wrong", "request": {}, "expect": {"outcome": "allow",
                   "obligations": {"keepAuthorizationDetailActions": ["initiate"]}}}]}""";
        assertThat(PolicyTests.problems(source, PolicyCompiler.compile(source))).extracting(PolicyProblem::toString)
                .containsExactly("tests[2]: case 'wrong' failed: obligations.keepAuthorizationDetailActions expected "
                        + "[initiate], got [status]");
    }

    @Test
    void malformedCasesAreNamedByFieldAndNotRun() throws Exception {
        List<PolicyProblem> problems = problems("""
                [{"name": "typo", "request": {"client": {"clientid": "x"}}, "expect": {"outcome": "allow"}},
                 {"name": "typo", "request": {}, "expect": {"outcome": "allow"}},
                 {"name": "no outcome", "request": {}, "expect": {"reason": "x"}},
                 {"name": "bad time", "request": {"time": "yesterday"}, "expect": {"outcome": "allow"}},
                 {"name": "bad duration", "request": {}, "expect": {"outcome": "allow", "obligations": {"maxAccessTokenLifetime": "soon"}}},
                 {"request": {}, "expect": {"outcome": "allow"}}]""");
        List<String> text = new ArrayList<>();
        problems.forEach(p -> text.add(p.toString()));
        assertThat(text.get(0)).startsWith("tests[0].request: case 'typo': unknown member 'client.clientid'")
                .contains("clientId");
        assertThat(text.get(1)).isEqualTo("tests[1]: name: 'typo' is used by an earlier case");
        assertThat(text.get(2)).isEqualTo("tests[2]: expect.outcome: required, 'allow' or 'deny'");
        assertThat(text.get(3)).startsWith("tests[3].request: case 'bad time': 'time':").contains("yesterday");
        assertThat(text.get(4)).startsWith("tests[4].expect: case 'bad duration': obligations.maxAccessTokenLifetime: 'soon'");
        assertThat(text.get(5)).isEqualTo("tests[5]: name: required");
        assertThat(problems).hasSize(6);
    }

    @Test
    void aPolicyWithoutTestsHasNoProblemAndTestsMustBeAList() throws Exception {
        assertThat(PolicyTests.problems("{" + RULES + "}", PolicyCompiler.compile("{" + RULES + "}"))).isEmpty();
        assertThat(problems("{}")).extracting(PolicyProblem::toString)
                .containsExactly("tests: must be a list of test cases");
    }
}
