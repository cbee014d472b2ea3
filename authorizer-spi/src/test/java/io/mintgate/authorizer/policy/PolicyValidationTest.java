package io.mintgate.authorizer.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyValidationTest {

    private static List<PolicyProblem> problems(String json) {
        PolicyValidationException e = catchThrowableOfType(PolicyValidationException.class,
                () -> PolicyCompiler.compile(json));
        assertThat(e).as("policy should be rejected").isNotNull();
        return e.problems();
    }

    @Test
    void invalidJsonIsReportedWithLineAndColumn() {
        List<PolicyProblem> problems = problems("{\n  \"rules\": [\n    {\"name\": \"a\",, }\n  ]\n}");
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).line()).isEqualTo(3);
        assertThat(problems.get(0).column()).isGreaterThan(1);
        assertThat(problems.get(0).message()).startsWith("invalid JSON");
    }

    @Test
    void duplicateJsonKeysAreRejected() {
        assertThat(problems("{\"rules\": [], \"rules\": []}").get(0).message()).contains("Duplicate field 'rules'");
    }

    @Test
    void unknownFieldsAreReportedWithTheirPathAndRule() {
        List<PolicyProblem> problems = problems("""
                {"rulez": [], "rules": [{"name": "r", "reason": "x", "deny": "false", "severity": "high",
                  "obligations": {"keepScope": "['a']"}}]}
                """);
        assertThat(problems).extracting(PolicyProblem::field, PolicyProblem::rule)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("rulez", null),
                        org.assertj.core.groups.Tuple.tuple("rules[0].severity", "r"),
                        org.assertj.core.groups.Tuple.tuple("rules[0].obligations.keepScope", "r"));
    }

    @Test
    void missingNameAndReasonAreBothReported() {
        List<PolicyProblem> problems = problems("{\"rules\": [{\"deny\": \"false\"}]}");
        assertThat(problems).extracting(PolicyProblem::field).containsExactlyInAnyOrder("rules[0].name", "rules[0].reason");
    }

    @Test
    void duplicateRuleNamesAreRejected() {
        List<PolicyProblem> problems = problems("""
                {"rules": [{"name": "same", "reason": "a", "deny": "false"},
                           {"name": "same", "reason": "b", "deny": "false"}]}
                """);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("rules[1].name");
            assertThat(p.rule()).isEqualTo("same");
            assertThat(p.message()).contains("duplicate rule name");
        });
    }

    @Test
    void aRuleNeedsExactlyOneOfDenyAndAllowIf() {
        List<PolicyProblem> problems = problems("""
                {"rules": [{"name": "both", "reason": "a", "deny": "false", "allowIf": "true"},
                           {"name": "neither", "reason": "b"}]}
                """);
        assertThat(problems).extracting(PolicyProblem::field, PolicyProblem::rule).containsExactly(
                org.assertj.core.groups.Tuple.tuple("rules[0]", "both"),
                org.assertj.core.groups.Tuple.tuple("rules[1]", "neither"));
        assertThat(problems).allSatisfy(p -> assertThat(p.message()).contains("exactly one of 'deny' or 'allowIf'"));
    }

    @Test
    void badModeAndOnErrorValuesAreRejected() {
        List<PolicyProblem> problems = problems("""
                {"rules": [{"name": "r", "reason": "a", "deny": "false", "mode": "audit", "onError": "ignore"}]}
                """);
        assertThat(problems).extracting(PolicyProblem::field).containsExactly("rules[0].mode", "rules[0].onError");
        assertThat(problems.get(0).message()).contains("enforce | shadow").contains("'audit'");
        assertThat(problems.get(1).message()).contains("deny | allow");
    }

    @Test
    void reasonCodesMustBeLowerSnakeCaseAndNotReserved() {
        List<PolicyProblem> problems = problems("""
                {"rules": [{"name": "a", "reason": "Workload-Mismatch", "deny": "false"},
                           {"name": "b", "reason": "policy_error", "deny": "false"}]}
                """);
        assertThat(problems).extracting(PolicyProblem::field).containsExactly("rules[0].reason", "rules[1].reason");
        assertThat(problems.get(0).message()).contains("[a-z0-9_]+");
        assertThat(problems.get(1).message()).contains("reserved");
    }

    @Test
    void celTypoIsReportedWithFieldRuleAndPositionInsideTheExpression() {
        List<PolicyProblem> problems = problems("""
                {"rules": [{"name": "ok", "reason": "a", "deny": "false"},
                           {"name": "ok2", "reason": "a", "deny": "false"},
                           {"name": "ci-deploy", "reason": "a", "deny": "client.clientId == 'x' && clent.id == 'y'"}]}
                """);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("rules[2].deny");
            assertThat(p.rule()).isEqualTo("ci-deploy");
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.column()).isEqualTo(27);
            assertThat(p.message()).isEqualTo("undeclared reference to 'clent' (in container '')");
            assertThat(p.toString()).isEqualTo(
                    "rules[2].deny (rule 'ci-deploy'): line 1, column 27: undeclared reference to 'clent' (in container '')");
        });
    }

    @Test
    void misspelledStructFieldIsRejectedWhenSaved() {
        PolicyProblem p = problems("{\"rules\": [{\"name\": \"r\", \"reason\": \"a\", \"deny\": \"client.clientid == 'x'\"}]}").get(0);
        assertThat(p.message()).isEqualTo("undefined field 'clientid'");
        assertThat(p.column()).isEqualTo(7);
    }

    @Test
    void comparingAListWithAStringIsATypeError() {
        PolicyProblem p = problems("{\"rules\": [{\"name\": \"r\", \"reason\": \"a\", \"deny\": \"grant.scopes == 'x'\"}]}").get(0);
        assertThat(p.field()).isEqualTo("rules[0].deny");
        assertThat(p.message()).contains("no matching overload for '_==_'");
    }

    @Test
    void syntaxErrorsOnLaterLinesOfAnExpressionReportThatLine() {
        PolicyProblem p = problems("{\"rules\": [{\"name\": \"r\", \"reason\": \"a\", \"deny\": \"true &&\\n  (false ||\"}]}").get(0);
        assertThat(p.line()).isEqualTo(2);
    }

    @Test
    void conditionsMustBeBoolean() {
        List<PolicyProblem> problems = problems("""
                {"rules": [{"name": "r", "reason": "a", "match": "client.clientId", "allowIf": "grant.scopes"}]}
                """);
        assertThat(problems).extracting(PolicyProblem::field).containsExactly("rules[0].match", "rules[0].allowIf");
        assertThat(problems.get(0).message()).isEqualTo("expression must be bool but is string");
        assertThat(problems.get(1).message()).isEqualTo("expression must be bool but is list");
    }

    @Test
    void obligationsAreTypeCheckedAgainstWhatTheyControl() {
        List<PolicyProblem> problems = problems("""
                {"rules": [{"name": "r", "reason": "a", "deny": "false", "obligations": {
                   "keepScopes": "'read'", "keepAudiences": "[1, 2]", "maxAccessTokenLifetime": "300",
                   "refreshToken": "'no'", "maxRefreshTokenLifetime": "duration('1h')", "claims": {"p": "nhi.purpse"}}}]}
                """);
        assertThat(problems).extracting(PolicyProblem::field).containsExactlyInAnyOrder(
                "rules[0].obligations.keepScopes", "rules[0].obligations.keepAudiences",
                "rules[0].obligations.maxAccessTokenLifetime", "rules[0].obligations.refreshToken",
                "rules[0].obligations.claims.p");
        assertThat(problems).allSatisfy(p -> assertThat(p.rule()).isEqualTo("r"));
    }

    @Test
    void variablesAreCheckedAndSeeOnlyEarlierVariables() {
        List<PolicyProblem> problems = problems("""
                {"variables": [{"name": "a", "expression": "variables.b"}, {"name": "b", "expression": "true"},
                               {"name": "b", "expression": "false"}, {"name": "not valid", "expression": "1"}],
                 "rules": [{"name": "r", "reason": "x", "deny": "variables.c"}]}
                """);
        assertThat(problems).extracting(PolicyProblem::field).containsExactly(
                "variables[0].expression", "variables[2].name", "variables[3].name", "rules[0].deny");
        assertThat(problems.get(0).message()).isEqualTo("undefined field 'b'");
    }

    @Test
    void nonStringValuesWhereExpressionsBelongAreRejected() {
        List<PolicyProblem> problems = problems("{\"rules\": [{\"name\": \"r\", \"reason\": \"a\", \"deny\": true}]}");
        assertThat(problems).extracting(PolicyProblem::field).contains("rules[0].deny");
    }

    @Test
    void allProblemsAreCollectedAndListedOnePerLine() {
        PolicyValidationException e = catchThrowableOfType(PolicyValidationException.class, () -> PolicyCompiler.compile("""
                {"rules": [{"name": "a", "reason": "A", "deny": "nope"}, {"reason": "b", "allowIf": "1 +"}]}
                """));
        assertThat(e.problems()).hasSize(4);
        assertThat(e.getMessage().split("\n")).hasSize(4);
    }

    @Test
    void emptyPolicyTextIsRejectedButAnEmptyRuleListIsFine() {
        assertThat(problems("  ")).singleElement().extracting(PolicyProblem::message).asString().contains("empty");
        assertThat(Requests.compile("{\"rules\": []}").size()).isZero();
        assertThat(Requests.compile("{}").evaluate(Requests.ciRunner()).allowed()).isTrue();
    }

    @Test
    void predicatesAreCompiledAndCheckedOnTheirOwn() throws Exception {
        assertThat(PolicyCompiler.compilePredicate("condition", "client.clientId == 'ci-runner'").test(Requests.ciRunner())).isTrue();
        assertThatThrownBy(() -> PolicyCompiler.compilePredicate("condition", "client.clientId"))
                .isInstanceOf(PolicyValidationException.class)
                .hasMessage("condition: line 1, column 1: expression must be bool but is string");
    }
}
