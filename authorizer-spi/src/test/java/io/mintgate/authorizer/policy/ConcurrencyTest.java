package io.mintgate.authorizer.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    @Test
    void onePolicySetGivesConsistentDecisionsAcrossThreads() throws Exception {
        PolicySet policy = Requests.compile("""
                {"variables": [{"name": "internal", "expression": "network.sourceAddress.inCidr('10.0.0.0/8')"}],
                 "rules": [{"name": "net", "reason": "outside_network", "allowIf": "variables.internal",
                            "obligations": {"keepScopes": "grant.scopes.filter(s, s != 'deploy')"}}]}
                """);
        IssuanceRequest inside = Requests.ciRunner();
        IssuanceRequest outside = Requests.with(inside, new NetworkInfo("203.0.113.9", null, null));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        Decision in = policy.evaluate(inside);
                        Decision out = policy.evaluate(outside);
                        if (!in.allowed() || !in.obligations().keepScopes().equals(java.util.Set.of("read"))
                                || out.allowed() || !"outside_network".equals(out.reason())) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
