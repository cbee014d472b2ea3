package io.mintgate.authorizer.policy;

import static io.mintgate.authorizer.policy.Requests.ciRunner;
import static io.mintgate.authorizer.policy.Requests.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request lists and maps reach CEL pre-adapted, and constant expressions are evaluated once when compiled
 * (both for speed). Neither may be visible to a policy.
 */
class PreAdaptedValuesTest {

    private static boolean eval(String expression) {
        try {
            return PolicyCompiler.compilePredicate("test", expression).test(ciRunner());
        } catch (PolicyValidationException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "type(client.attributes) == map",
            "type(grant.scopes) == list",
            "type(workload.claims) == map",
            "type('a,b'.splitList()) == list",
            "grant.scopes == ['read', 'deploy']",
            "['read', 'deploy'] == grant.scopes",
            "client.attributes == {'mintgate.kind': 'ci-runner', 'mintgate.allowed-cidrs': '10.0.0.0/8, 2001:db8::/32'}",
            "workload.claims['run_attempt'] == 1",
            "(grant.scopes + grant.audiences).size() == 3",
            "grant.scopes.filter(s, s != 'read') == ['deploy']",
            "client.attributes.all(k, k.startsWith('mintgate.'))",
            "size(client.attributes) == 2 && !('x' in client.attributes)",
            "sets.contains(grant.scopes, ['deploy'])",
            "'a, b'.splitList() + grant.scopes == ['a', 'b', 'read', 'deploy']",
            "[grant.scopes, grant.audiences] == [['read', 'deploy'], ['deploy-api']]",
            "{'s': grant.scopes}.s[1] == 'deploy'",
            "has(client.attributes) && !has(subject.attributes)"})
    void wrappedContainersBehaveLikePlainOnes(String expression) {
        assertThat(eval(expression)).isTrue();
    }

    @Test
    void wrappedContainersLeaveTheEngineAsPlainJava() {
        Decision d = rule("""
                "name": "c", "reason": "x", "deny": "false",
                "obligations": {"keepScopes": "grant.scopes", "claims": {"scopes": "grant.scopes", "attrs": "client.attributes",
                                "claims": "workload.claims"}}
                """).evaluate(ciRunner());
        assertThat(d.obligations().keepScopes()).containsExactly("read", "deploy");
        assertThat(d.obligations().claims().get("scopes")).isEqualTo(List.of("read", "deploy"));
        assertThat(d.obligations().claims().get("attrs")).isInstanceOf(Map.class)
                .isEqualTo(ciRunner().client().attributes());
        assertThat(d.obligations().claims().get("claims")).isEqualTo(Map.of("repository", "acme/app",
                "ref", "refs/heads/main", "environment", "production", "run_attempt", 1L));
    }

    @Test
    void constantExpressionsGiveTheirValueOnEveryRequest() {
        PolicySet policy = rule("""
                "name": "c", "reason": "x", "allowIf": "true",
                "obligations": {"keepScopes": "['read']", "maxAccessTokenLifetime": "duration('10m')", "refreshToken": "false"}
                """);
        for (int i = 0; i < 3; i++) {
            Decision d = policy.evaluate(ciRunner());
            assertThat(d.allowed()).isTrue();
            assertThat(d.obligations().keepScopes()).containsExactly("read");
            assertThat(d.obligations().maxAccessTokenLifetime()).isEqualTo(Duration.ofMinutes(10));
            assertThat(d.obligations().refreshTokenAllowed()).isFalse();
        }
    }

    @Test
    void aConstantExpressionThatFailsStillFailsAtEvaluation() {
        Decision d = rule("\"name\": \"c\", \"reason\": \"x\", \"deny\": \"int('not a number') == 1\"").evaluate(ciRunner());
        assertThat(d.reason()).isEqualTo(PolicySet.POLICY_ERROR);
        assertThat(d.findings()).singleElement().satisfies(f -> assertThat(f.detail()).contains("rules[0].deny"));
        Decision negative = rule("""
                "name": "c", "reason": "x", "deny": "false", "obligations": {"maxAccessTokenLifetime": "duration('-5m')"}
                """).evaluate(ciRunner());
        assertThat(negative.reason()).isEqualTo(PolicySet.POLICY_ERROR);
    }
}
