package io.mintgate.authorizer.policy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mintgate.authorizer.policy.ClientInfo;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.DecisionServices;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.PolicyCompiler;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.SubjectInfo;
import io.mintgate.authorizer.policy.authzen.AuthzenAnswer;
import io.mintgate.authorizer.policy.authzen.AuthzenClient;
import io.mintgate.authorizer.policy.authzen.IssuanceEvaluations;
import io.mintgate.authorizer.policy.authzen.IssuanceShaping;
import io.mintgate.authorizer.policy.authzen.PdpConfig;
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
 * The token issuance profile's cost per token on the request thread, without the PDP's own time and without the
 * HTTP exchange: one decision of a policy with one profile rule, which forms the batch (a gate and three scope
 * tuples for one audience, serialised to JSON) and composes a prepared answer (one scope denied, a lifetime
 * ceiling and a claim) into obligations. Run: {@code java -cp <test classpath> ...IssuanceProfileBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 3, time = 5)
public class IssuanceProfileBenchmark {

    private PolicySet policy;
    private IssuanceRequest request;
    private DecisionServices services;
    private PdpConfig pdp;
    private IssuanceEvaluations batch;
    private AuthzenAnswer answer;

    @Setup
    public void setUp() throws Exception {
        policy = PolicyCompiler.compile("""
                {"pdps": {"issuance": {"url": "http://127.0.0.1:8181", "profile": "token-issuance"}},
                 "rules": [{"name": "issuance", "reason": "pdp_denied", "authzen": {"pdp": "issuance"}}]}""");
        request = new IssuanceRequest("acme", Instant.now(), "CLIENT_CREDENTIALS_TOKEN_RESPONSE",
                new Grant("client_credentials", List.of("files.read", "files.write", "files.delete"),
                        List.of("https://api.example/files"), List.of(), ""),
                new ClientInfo("c-1", "svc-reporting", "client-secret", false, Map.of(), List.of(), List.of()),
                new SubjectInfo("5d1e2b7c-0f6a-4f1e-9a7b-3c2d1e0f9a8b", "service-account-svc-reporting", true, true,
                        Map.of(), List.of(), Map.of(), List.of()),
                null, null, null, null, null);
        JsonNode[] contexts = new JsonNode[4];
        ObjectMapper json = new ObjectMapper();
        contexts[0] = json.readTree("{\"issuance\": {\"token_lifetime\": 300, \"claims\": {\"tier\": \"gold\"}}}");
        answer = new AuthzenAnswer(new boolean[] {true, true, true, false}, contexts);
        AuthzenClient client = query -> answer;
        services = new DecisionServices() {
            @Override
            public <T> T facility(Class<T> type) {
                return type == AuthzenClient.class ? type.cast(client) : null;
            }
        };
        pdp = new PdpConfig("issuance", java.net.URI.create("http://127.0.0.1:8181"), PdpConfig.DEFAULT_TIMEOUT,
                PdpConfig.DEFAULT_CACHE_TTL, 10, 5, PdpConfig.DEFAULT_BREAKER_COOL_DOWN,
                io.mintgate.authorizer.policy.authzen.PdpAuth.NONE, PdpConfig.TOKEN_ISSUANCE, 64);
        batch = IssuanceEvaluations.form(pdp, request);
        Decision check = policy.evaluate(request, services);
        if (!check.allowed() || check.obligations().keepScopes().size() != 2) {
            throw new IllegalStateException("unexpected decision " + check);
        }
    }

    @Benchmark
    public Decision profileDecision() {
        return policy.evaluate(request, services);
    }

    /** The request alone: forming the tuples and writing the JSON body (the part that is not the engine's). */
    @Benchmark
    public IssuanceEvaluations formRequest() {
        return IssuanceEvaluations.form(pdp, request);
    }

    /** The answer alone: composing the decisions and shaping into obligations. */
    @Benchmark
    public IssuanceShaping.Outcome composeAnswer() {
        return IssuanceShaping.compose(batch, answer, "issuance");
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(IssuanceProfileBenchmark.class.getSimpleName()).build()).run();
    }
}
