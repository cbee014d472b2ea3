package io.mintgate.authorizer.policy.bench;

import io.mintgate.authorizer.policy.ClientInfo;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.NetworkInfo;
import io.mintgate.authorizer.policy.NhiInfo;
import io.mintgate.authorizer.policy.OrganizationInfo;
import io.mintgate.authorizer.policy.PolicyCompiler;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.SubjectInfo;
import io.mintgate.authorizer.policy.WorkloadInfo;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Cost of one decision with 20 realistic rules (CIDR, globs, attributes, workload claims, obligations).
 * Sample time so that percentiles (p50/p99) are reported. Run: {@code java -cp <test classpath> ...PolicyEngineBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 3, time = 5)
public class PolicyEngineBenchmark {

    public static final String POLICY = """
            {
              "variables": [
                {"name": "kind", "expression": "client.attributes[?'mintgate.kind'].orValue('')"},
                {"name": "internal", "expression": "network.sourceAddress.inCidr(['10.0.0.0/8', '172.16.0.0/12', 'fd00::/8'])"}
              ],
              "rules": [
                {"name": "r01-public-clients-no-deploy", "reason": "public_client", "match": "client.publicClient", "deny": "'deploy' in grant.scopes"},
                {"name": "r02-ci-repo", "reason": "workload_mismatch", "match": "variables.kind == 'ci-runner' && 'deploy' in grant.scopes",
                 "allowIf": "workload.claims[?'repository'].orValue('') == 'acme/app' && workload.claims[?'ref'].orValue('') == 'refs/heads/main'"},
                {"name": "r03-ci-env", "reason": "workload_mismatch", "match": "variables.kind == 'ci-runner'",
                 "allowIf": "workload.claims[?'environment'].orValue('') in ['production', 'staging']"},
                {"name": "r04-network", "reason": "unexpected_network", "match": "'mintgate.allowed-cidrs' in client.attributes",
                 "allowIf": "network.sourceAddress.inCidr(client.attributes['mintgate.allowed-cidrs'].splitList())"},
                {"name": "r05-agent-tools", "reason": "outside_approved_tools", "match": "variables.kind == 'ai-agent'",
                 "allowIf": "allGlobMatch(grant.scopes + grant.audiences, client.attributes[?'mintgate.allowed-scopes'].orValue('').splitList())"},
                {"name": "r06-tenant", "reason": "wrong_tenant", "match": "'mintgate.tenant' in client.attributes",
                 "allowIf": "organization.present && organization.alias == client.attributes['mintgate.tenant']"},
                {"name": "r07-owner", "reason": "owner_inactive", "match": "nhi.present", "allowIf": "nhi.ownerExists && nhi.ownerEnabled"},
                {"name": "r08-expiry", "reason": "nhi_expired", "match": "nhi.present && has(nhi.expiresAt)", "deny": "nhi.expiresAt <= now"},
                {"name": "r09-admin-scope", "reason": "admin_scope", "deny": "grant.scopes.exists(s, globMatch('admin:*', s)) && !('platform-admins' in subject.groups)"},
                {"name": "r10-disabled", "reason": "subject_disabled", "match": "subject.present", "deny": "!subject.enabled"},
                {"name": "r11-hours", "reason": "outside_hours", "match": "variables.kind == 'batch'", "allowIf": "withinHours(now, 'Europe/Paris', 1, 5)"},
                {"name": "r12-weekday", "reason": "weekend", "match": "'deploy' in grant.scopes && variables.kind == 'human'", "allowIf": "isWeekday(now, 'Europe/Paris')"},
                {"name": "r13-dpop", "reason": "dpop_required", "match": "'payments' in grant.audiences", "allowIf": "has(network.dpopThumbprint)"},
                {"name": "r14-exchange", "reason": "actor_not_allowed", "match": "actor.present", "allowIf": "globMatch(['svc-*', 'gateway'], actor.clientId)"},
                {"name": "r15-shadow-external", "reason": "external_network", "mode": "shadow", "deny": "!variables.internal"},
                {"name": "r16-roles", "reason": "missing_role", "match": "'billing-api' in grant.audiences", "allowIf": "'billing-reader' in client.roles || 'billing' in subject.realmRoles"},
                {"name": "r17-purpose", "reason": "purpose_missing", "match": "nhi.present", "allowIf": "nhi.purpose != ''"},
                {"name": "r18-narrow-ci", "reason": "ci_narrowing", "match": "variables.kind == 'ci-runner'", "allowIf": "true",
                 "obligations": {"keepScopes": "grant.scopes.filter(s, s in ['read', 'deploy'])", "maxAccessTokenLifetime": "duration('10m')", "refreshToken": "false"}},
                {"name": "r19-narrow-audience", "reason": "audience_narrowing", "match": "grant.audiences.size() > 0", "allowIf": "true",
                 "obligations": {"keepAudiences": "grant.audiences.filter(a, globMatch(['deploy-*', 'billing-api'], a))", "claims": {"purpose": "nhi.purpose"}}},
                {"name": "r20-cap", "reason": "lifetime_cap", "allowIf": "true", "onError": "allow",
                 "obligations": {"maxAccessTokenLifetime": "duration('15m')", "maxRefreshTokenLifetime": "duration('8h')"}}
              ]
            }
            """;

    /**
     * {@code with}: the policy as written; {@code without}: the same 20 rules with every {@code obligations} removed,
     * so the difference is what narrowing costs the engine (evaluating the obligation expressions and combining them).
     */
    @Param({"with", "without"})
    public String obligations;

    PolicySet policy;
    IssuanceRequest request;

    @Setup
    public void setUp() throws Exception {
        policy = PolicyCompiler.compile("with".equals(obligations) ? POLICY : withoutObligations(POLICY));
        request = new IssuanceRequest("acme", Instant.parse("2025-03-04T09:00:00Z"), "CLIENT_LOGIN",
                new Grant("client_credentials", List.of("read", "deploy"), List.of("deploy-prod"), List.of(), null),
                new ClientInfo("c-1", "ci-runner", "federated-jwt", false,
                        Map.of("mintgate.kind", "ci-runner", "mintgate.allowed-cidrs", "10.0.0.0/8, 192.168.0.0/16, 2001:db8::/32",
                                "mintgate.tenant", "acme"),
                        List.of("deployer"), List.of("read", "deploy")),
                new SubjectInfo("sa-1", "service-account-ci-runner", true, true, Map.of(), List.of("default-roles-acme"),
                        Map.of(), List.of()),
                null, new NetworkInfo("10.20.30.40", null, null),
                new WorkloadInfo("https://token.actions.githubusercontent.com", "repo:acme/app:environment:production",
                        Map.of("repository", "acme/app", "ref", "refs/heads/main", "environment", "production", "run_attempt", 1)),
                new OrganizationInfo("o-1", "acme"),
                new NhiInfo("alice", true, true, Instant.parse("2026-01-01T00:00:00Z"), "deploy acme/app"));
        Decision d = policy.evaluate(request);
        if (!d.allowed() || d.obligations().isEmpty() != "without".equals(obligations) || policy.size() != 20) {
            throw new IllegalStateException("benchmark policy does not behave as intended: " + d);
        }
    }

    static String withoutObligations(String policy) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode root = json.readTree(policy);
        for (com.fasterxml.jackson.databind.JsonNode rule : root.get("rules")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) rule).remove("obligations");
        }
        return json.writeValueAsString(root);
    }

    @Benchmark
    public Decision evaluate() {
        return policy.evaluate(request);
    }

    /**
     * The same decision with the CPU caches cold, as on a busy token endpoint: between two decisions Keycloak's own
     * request handling (hundreds of KB allocated and touched per token) evicts the policy's compiled form and the
     * request from L1/L2 and much of L3. Before each call this walks a buffer larger than the caches.
     */
    @Benchmark
    public Decision evaluateColdCaches(CacheEvictor evictor) {
        return policy.evaluate(request);
    }

    @State(Scope.Thread)
    public static class CacheEvictor {
        private final long[] buffer = new long[(32 << 20) / Long.BYTES];
        private long sink;

        @Setup(org.openjdk.jmh.annotations.Level.Invocation)
        public void evict() {
            long sum = sink;
            for (int i = 0; i < buffer.length; i += 8) { // one write per 64-byte cache line
                buffer[i] += sum;
                sum += buffer[i];
            }
            sink = sum;
        }
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(PolicyEngineBenchmark.class.getSimpleName()).build()).run();
    }
}
