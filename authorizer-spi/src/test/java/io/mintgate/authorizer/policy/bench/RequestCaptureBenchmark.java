package io.mintgate.authorizer.policy.bench;

import io.mintgate.authorizer.policy.ClientInfo;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.DeferredList;
import io.mintgate.authorizer.policy.DeferredMap;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.NetworkInfo;
import io.mintgate.authorizer.policy.NhiInfo;
import io.mintgate.authorizer.policy.ObligationsJson;
import io.mintgate.authorizer.policy.PolicyCompiler;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.RequestCapture;
import io.mintgate.authorizer.policy.SubjectInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What capturing the decided request for the audit record adds to a token request: the request and the
 * obligations encoded once per decision ({@code PendingDecision}), after PolicyEngineBenchmark's 20-rule decision
 * read what it reads. Sample time, µs. Run: {@code java -cp <test classpath> ...RequestCaptureBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 3, time = 5)
public class RequestCaptureBenchmark {

    private PolicySet policy;
    private Map<String, String> attributes;

    @Setup
    public void setUp() throws Exception {
        policy = PolicyCompiler.compile(PolicyEngineBenchmark.POLICY);
        attributes = Map.of("mintgate.kind", "ci-runner", "mintgate.allowed-cidrs", "10.0.0.0/8",
                "client.secret.creation.time", "1700000000", "pkce.code.challenge.method", "S256");
    }

    /** A service-account request as IssuanceRequests builds it: the costly facts deferred. */
    private IssuanceRequest request() {
        return new IssuanceRequest("acme", Instant.now(), "client_credentials",
                new Grant("client_credentials", List.of("read", "deploy", "profile", "email"), List.of("deploy-api"), List.of(), null),
                new ClientInfo("4f6a1c0e-0000-4000-8000-000000000001", "ci-runner", "client-secret", false,
                        DeferredMap.ofKeyed(attributes::get, () -> attributes), DeferredList.of(() -> List.of("deployer")),
                        DeferredList.of(() -> List.of("profile", "email", "read", "deploy"))),
                new SubjectInfo("9a0e1c0e-0000-4000-8000-000000000002", "service-account-ci-runner", true, true,
                        DeferredMap.ofMultimap(Map::of), List.of("default-roles-acme", "offline_access"),
                        Map.of("account", List.of("view-profile")), DeferredList.of(List::of)),
                null, new NetworkInfo("10.20.30.40", "", ""), null, null,
                new NhiInfo("7b1e1c0e-0000-4000-8000-000000000003", "alice", true, true,
                        Instant.parse("2027-01-01T00:00:00Z"), "deploys acme/app"));
    }

    @Benchmark
    public Decision decideOnly() {
        return policy.evaluate(request());
    }

    @Benchmark
    public String decideAndCapture() {
        IssuanceRequest request = request();
        Decision decision = policy.evaluate(request);
        return RequestCapture.encode(request) + ObligationsJson.write(decision.obligations(), decision.id());
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(RequestCaptureBenchmark.class.getSimpleName()).build()).run();
    }
}
