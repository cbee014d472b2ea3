package io.mintgate.authorizer.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeferredListTest {

    private final AtomicInteger lookups = new AtomicInteger();

    private ClientInfo clientWithDeferredRoles(List<String> roles) {
        return new ClientInfo("c-1", "ci-runner", "federated-jwt", false, Map.of("mintgate.kind", "ci-runner"),
                DeferredList.of(() -> {
                    lookups.incrementAndGet();
                    return roles;
                }), List.of());
    }

    @Test
    void aPolicyThatNeverReadsTheFactNeverLooksItUp() throws Exception {
        ClientInfo client = clientWithDeferredRoles(List.of("deployer"));
        Decision d = PolicyCompiler.compile("""
                {"rules": [{"name": "kind", "reason": "x", "allowIf": "client.attributes['mintgate.kind'] == 'ci-runner'"}]}
                """).evaluate(Requests.with(Requests.ciRunner(), client));
        assertThat(d.allowed()).isTrue();
        assertThat(lookups).hasValue(0);
        assertThat(((DeferredList<String>) client.roles()).fetched()).isFalse();
    }

    @Test
    void aPolicyThatReadsItLooksItUpOnceAndSeesItWithoutNulls() throws Exception {
        ClientInfo client = clientWithDeferredRoles(new ArrayList<>(Arrays.asList("deployer", null, "reader")));
        PolicySet policy = PolicyCompiler.compile("""
                {"rules": [{"name": "r1", "reason": "x", "allowIf": "'deployer' in client.roles"},
                           {"name": "r2", "reason": "y", "allowIf": "size(client.roles) == 2"}]}
                """);
        assertThat(policy.evaluate(Requests.with(Requests.ciRunner(), client)).allowed()).isTrue();
        assertThat(lookups).hasValue(1);
        assertThat(client.roles()).containsExactly("deployer", "reader");
    }

    @Test
    void aFailingLookupIsAnEvaluationErrorThatDeniesByDefault() throws Exception {
        ClientInfo client = new ClientInfo("c-1", "ci-runner", "", false, Map.of(),
                DeferredList.of(() -> {
                    throw new IllegalStateException("store unavailable");
                }), List.of());
        Decision d = PolicyCompiler.compile("""
                {"rules": [{"name": "roles", "reason": "x", "deny": "'admin' in client.roles"}]}
                """).evaluate(Requests.with(Requests.ciRunner(), client));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("policy_error");
    }
}
