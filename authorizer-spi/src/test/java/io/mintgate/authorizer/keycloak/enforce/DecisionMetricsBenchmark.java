package io.mintgate.authorizer.keycloak.enforce;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.CountingMode;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.Mode;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.Outcome;
import io.mintgate.authorizer.policy.RuleFinding;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the decision meters add to one token request: {@link DecisionMetrics#record} for an allow, a shadow
 * denial and a refusal (the realm's meters already registered, as after the first request). Cumulative Micrometer
 * meters as Keycloak's Prometheus registry keeps them. Run with the JMH runner and {@code -prof gc} to see that a
 * record allocates nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(1)
public class DecisionMetricsBenchmark {

    private DecisionMetrics metrics;
    private IssuanceRequest request;
    private Decision allow;
    private Decision shadow;
    private Decision deny;

    @Setup
    public void setUp() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry(new SimpleConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public CountingMode mode() {
                return CountingMode.CUMULATIVE;
            }
        }, io.micrometer.core.instrument.Clock.SYSTEM);
        metrics = new DecisionMetrics(registry, false);
        request = new IssuanceRequest("acme", null, "SERVICE_ACCOUNT_TOKEN_RESPONSE",
                new Grant("client_credentials", List.of(), List.of(), List.of(), ""), null, null, null, null, null, null, null);
        allow = new Decision("id", Outcome.ALLOW, null, null, null, null, "v", List.of(), Obligations.NONE);
        shadow = new Decision("id", Outcome.ALLOW, null, null, null, null, "v",
                List.of(new RuleFinding("trial", "wrong_tenant", Mode.SHADOW, false, "m")), Obligations.NONE);
        deny = new Decision("id", Outcome.DENY, "owner_inactive", "m", "owners", Mode.ENFORCE, "v", List.of(),
                Obligations.NONE);
        metrics.record(request, allow, System.nanoTime());
    }

    @Benchmark
    public void recordAllow() {
        metrics.record(request, allow, System.nanoTime());
    }

    @Benchmark
    public void recordShadowDenial() {
        metrics.record(request, shadow, System.nanoTime());
    }

    @Benchmark
    public void recordRefusal() {
        metrics.record(request, deny, System.nanoTime());
    }
}
