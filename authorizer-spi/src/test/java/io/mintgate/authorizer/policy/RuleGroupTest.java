package io.mintgate.authorizer.policy;

import static io.mintgate.authorizer.policy.Requests.ciRunner;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.policy.bench.PolicyEngineBenchmark;
import org.junit.jupiter.api.Test;

/**
 * The fast paths (consecutive plain rules as one program, {@link RuleGroup}, and expressions answered without the
 * CEL runtime, {@code DirectEvaluator}) must never change a decision. Every case compiles the same policy with and
 * without them and compares everything but the decision id.
 */
class RuleGroupTest {

    private static final String PDPS = """
            "pdps": {"cerbos": {"url": "https://pdp.example:3592", "timeout": "PT0.2S", "cacheTtl": "PT30S",
                                "auth": {"type": "bearer", "token": "${vault.cerbos_token}"}}}""";

    /** A policy with errors (onError deny and allow), shadow rules, obligations and a check between plain rules. */
    private static final String TRICKY = """
            {%s,
             "variables": [
               {"name": "kind", "expression": "client.attributes[?'mintgate.kind'].orValue('')"},
               {"name": "boom", "expression": "client.attributes['no-such-attribute']"}
             ],
             "rules": [
               {"name": "g1-public", "reason": "public_client", "match": "client.publicClient", "deny": "'deploy' in grant.scopes"},
               {"name": "g1-admin", "reason": "admin_scope", "deny": "grant.scopes.exists(s, s.startsWith('admin')) // no admins"},
               {"name": "g1-lenient-error", "reason": "lenient", "onError": "allow", "match": "'lenient' in grant.scopes",
                "deny": "client.attributes['missing'] == 'x'"},
               {"name": "g1-strict-error", "reason": "strict", "match": "'strict' in grant.scopes",
                "deny": "client.attributes['missing'] == 'x'"},
               {"name": "g1-variable-error", "reason": "variable", "match": "'variable' in grant.scopes",
                "allowIf": "variables.boom == 'y'"},
               {"name": "g1-not-bool", "reason": "not_bool", "match": "'dyn' in grant.scopes", "deny": "workload.claims['repository']"},
               {"name": "g1-repo", "reason": "workload_mismatch", "match": "variables.kind == 'ci-runner'",
                "allowIf": "workload.claims[?'repository'].orValue('') == 'acme/app'"},
               {"name": "shadow-external", "reason": "external", "mode": "shadow", "deny": "!network.sourceAddress.inCidr('10.0.0.0/8')"},
               {"name": "shadow-error", "reason": "shadow_error", "mode": "shadow", "match": "'shadow-error' in grant.scopes",
                "deny": "client.attributes['missing'] == 'x'"},
               {"name": "g2-audience", "reason": "audience", "allowIf": "grant.audiences.all(a, a.startsWith('deploy-'))"},
               {"name": "g2-many-a", "reason": "many_a", "deny": "grant.scopes.exists(s, s == 'never')"},
               {"name": "g2-many-b", "reason": "many_b", "deny": "grant.scopes.exists(s, s == 'never-either')"},
               {"name": "narrow", "reason": "narrow", "allowIf": "true",
                "obligations": {"keepScopes": "grant.scopes.filter(s, s != 'drop')", "claims": {"k": "variables.kind"}}},
               {"name": "narrow-error", "reason": "narrow_error", "onError": "allow", "match": "'narrow-error' in grant.scopes",
                "allowIf": "true", "obligations": {"claims": {"bad": "client.attributes['missing']"}}},
               {"name": "pdp", "reason": "pdp", "onError": "allow", "match": "'pdp' in grant.scopes", "allowIf": "true",
                "authzen": {"pdp": "cerbos", "subject": {"type": "'client'", "id": "client.clientId"},
                            "action": {"name": "'mint'"}, "resource": {"type": "'api'", "id": "'x'"}}},
               {"name": "g3-last", "reason": "last", "match": "'last' in grant.scopes", "deny": "true"},
               {"name": "g3-tenant", "reason": "tenant", "match": "'mintgate.tenant' in client.attributes",
                "allowIf": "client.attributes['mintgate.tenant'] == 'acme'"}
             ]}
            """.formatted(PDPS);

    private static PolicySet compile(String source, boolean fastPaths) throws PolicyValidationException {
        return PolicyCompiler.compile(source, fastPaths);
    }

    /** The decision without its id (new for every evaluation). */
    private static List<Object> essence(Decision d) {
        return List.of(d.outcome(), String.valueOf(d.reason()), String.valueOf(d.message()), String.valueOf(d.rule()),
                String.valueOf(d.mode()), d.policyVersion(), d.findings(), d.obligations());
    }

    private static IssuanceRequest scopes(String... scopes) {
        return Requests.withScopes(ciRunner(), scopes);
    }

    @Test
    void plainRulesAreGroupedAndShadowObligationAndCheckRulesBreakGroups() throws Exception {
        List<RuleGroup> groups = compile(TRICKY, true).groups();
        assertThat(groups).extracting(RuleGroup::start, RuleGroup::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 7), org.assertj.core.groups.Tuple.tuple(9, 12),
                        org.assertj.core.groups.Tuple.tuple(15, 17));
        assertThat(compile(TRICKY, false).groups()).isEmpty();
    }

    @Test
    void groupedAndOneByOneEvaluationDecideExactlyAlike() throws Exception {
        PolicySet grouped = compile(TRICKY, true);
        PolicySet single = compile(TRICKY, false);
        List<IssuanceRequest> requests = new ArrayList<>(List.of(
                ciRunner(),
                scopes("read", "drop"),
                scopes("admin:all"),
                scopes("lenient", "read"),
                scopes("lenient", "admin"), // the lenient error is recorded, then admin denies
                scopes("strict"),
                scopes("lenient", "strict"),
                scopes("variable"),
                scopes("dyn"),
                scopes("shadow-error", "read"),
                scopes("shadow-error", "last"),
                scopes("narrow-error", "last"),
                scopes("pdp", "read"),
                scopes("last"),
                Requests.with(ciRunner(), new NetworkInfo("192.168.1.1", null, null)),
                Requests.with(ciRunner(), Requests.withAttribute(ciRunner().client(), "mintgate.tenant", "other")),
                Requests.with(ciRunner(), Requests.withAttribute(ciRunner().client(), "mintgate.kind", "human")),
                Requests.with(ciRunner(), new WorkloadInfo("https://issuer", "sub", Map.of("repository", "acme/other"))),
                Requests.with(ciRunner(), new ClientInfo("c-2", "spa", "none", true, Map.of(), List.of(), List.of()))));
        // Together the two exists() rules of the second group iterate more than the per-program limit (1,000):
        // the group fails, its rules run one by one, each well within the limit.
        requests.add(scopes(Collections.nCopies(600, "read").toArray(String[]::new)));

        for (IssuanceRequest request : requests) {
            Decision a = grouped.evaluate(request);
            Decision b = single.evaluate(request);
            assertThat(essence(a)).as("scopes %s", request.grant().scopes()).isEqualTo(essence(b));
        }
    }

    /** The 20 rules of PolicyEngineBenchmark (the same text, so the two cannot drift apart). */
    private static final String BENCHMARK = PolicyEngineBenchmark.POLICY;

    /** Requests that take the benchmark and documented policies through most of their branches. */
    private static List<IssuanceRequest> variedRequests() {
        IssuanceRequest ci = ciRunner();
        ClientInfo c = ci.client();
        List<IssuanceRequest> out = new ArrayList<>();
        out.add(ci);
        out.add(Requests.with(ci, new NhiInfo("alice", true, true, Instant.parse("2026-01-01T00:00:00Z"), "deploy acme/app")));
        out.add(Requests.with(ci, new NhiInfo("alice", true, false, Instant.parse("2020-01-01T00:00:00Z"), "")));
        out.add(Requests.with(ci, new NhiInfo("alice", true, true, null, "")));
        out.add(Requests.with(ci, new OrganizationInfo("o-1", "acme")));
        out.add(Requests.with(ci, Requests.withAttribute(c, "mintgate.tenant", "acme")));
        out.add(Requests.with(Requests.with(ci, new OrganizationInfo("o-1", "acme")), Requests.withAttribute(c, "mintgate.tenant", "acme")));
        out.add(Requests.with(ci, new NetworkInfo("192.168.1.1", null, null)));
        out.add(Requests.with(ci, new NetworkInfo("garbage", null, null)));
        out.add(Requests.with(ci, Requests.withAttribute(c, "mintgate.allowed-cidrs", "not-a-cidr")));
        out.add(Requests.with(ci, Requests.withAttribute(c, "mintgate.kind", "ai-agent")));
        out.add(Requests.with(ci, Requests.withAttribute(Requests.withAttribute(c, "mintgate.kind", "ai-agent"),
                "mintgate.allowed-scopes", "read deploy deploy-*")));
        out.add(Requests.with(ci, Requests.withAttribute(c, "mintgate.kind", "batch")));
        out.add(Requests.at(Requests.with(ci, Requests.withAttribute(c, "mintgate.kind", "batch")), Instant.parse("2025-03-04T02:00:00Z")));
        out.add(Requests.with(ci, Requests.withAttribute(c, "mintgate.kind", "human")));
        out.add(Requests.at(Requests.with(ci, Requests.withAttribute(c, "mintgate.kind", "human")), Instant.parse("2025-03-08T12:00:00Z")));
        out.add(scopes("admin:all", "deploy"));
        out.add(Requests.with(scopes("admin:all"), new SubjectInfo("u", "bob", true, false, Map.of(), List.of("billing"),
                Map.of(), List.of("platform-admins"))));
        out.add(Requests.with(ci, new SubjectInfo("u", "bob", false, false, Map.of(), List.of(), Map.of(), List.of())));
        out.add(Requests.with(ci, new Grant("client_credentials", List.of("read"), List.of("payments", "billing-api"), List.of(), null)));
        out.add(Requests.with(ci, new Grant("client_credentials", List.of("read"), List.of(), List.of(), null)));
        out.add(Requests.with(ci, new WorkloadInfo("https://token.actions.githubusercontent.com", "s",
                Map.of("repository", "acme/app", "ref", "refs/heads/dev", "environment", "qa"))));
        out.add(Requests.with(ci, new WorkloadInfo("", "", Map.of())));
        out.add(Requests.with(ci, new ClientInfo("c-2", "spa", "none", true, Map.of(), List.of("billing-reader"), List.of())));
        out.add(new IssuanceRequest(ci.realm(), ci.time(), "TOKEN_EXCHANGE", ci.grant(), c, ci.subject(),
                new ActorInfo("gateway", "gw"), ci.network(), ci.workload(), ci.organization(), ci.nhi()));
        out.add(new IssuanceRequest(ci.realm(), ci.time(), "TOKEN_EXCHANGE", ci.grant(), c, ci.subject(),
                new ActorInfo("rogue", ""), ci.network(), ci.workload(), ci.organization(), ci.nhi()));
        return out;
    }

    @Test
    void theBenchmarkAndDocumentedPoliciesDecideAlikeWithAndWithoutFastPaths() throws Exception {
        List<String> policies = List.of(BENCHMARK, TRICKY, DocumentedPolicies.CI_DEPLOY, DocumentedPolicies.AI_AGENT_TOOLS,
                DocumentedPolicies.PARTNER_TENANT, DocumentedPolicies.SERVICE_ACCOUNT_NETWORK,
                DocumentedPolicies.NHI_LIFECYCLE, DocumentedPolicies.AGENT_BILLING_NARROWING,
                DocumentedPolicies.CI_DEPLOY_LIFETIME);
        java.util.Set<Object> outcomes = new java.util.HashSet<>();
        for (String source : policies) {
            PolicySet fast = compile(source, true);
            PolicySet reference = compile(source, false);
            for (IssuanceRequest request : variedRequests()) {
                Decision a = fast.evaluate(request);
                Decision b = reference.evaluate(request);
                assertThat(essence(a)).as("%s on %s", source.substring(0, Math.min(80, source.length())), request)
                        .isEqualTo(essence(b));
                outcomes.add(a.allowed() + "/" + a.rule() + "/" + a.findings().size());
            }
        }
        assertThat(outcomes).as("the requests reach many different decisions").hasSizeGreaterThan(20);
    }

    @Test
    void theTrickyCasesReallyExerciseErrorsDenialsAndFindings() throws Exception {
        PolicySet grouped = compile(TRICKY, true);

        Decision lenientThenAdmin = grouped.evaluate(scopes("lenient", "admin"));
        assertThat(lenientThenAdmin.rule()).isEqualTo("g1-admin");
        assertThat(lenientThenAdmin.findings()).isEmpty(); // admin (rule 2) denies before the lenient rule (3) runs

        Decision lenient = grouped.evaluate(scopes("lenient", "read"));
        assertThat(lenient.allowed()).isTrue();
        assertThat(lenient.findings()).extracting(RuleFinding::rule, RuleFinding::error)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("g1-lenient-error", true));
        assertThat(lenient.obligations().claims()).containsEntry("k", "ci-runner");

        Decision strict = grouped.evaluate(scopes("lenient", "strict"));
        assertThat(strict.reason()).isEqualTo(PolicySet.POLICY_ERROR);
        assertThat(strict.rule()).isEqualTo("g1-strict-error");
        assertThat(strict.findings()).extracting(RuleFinding::rule)
                .containsExactly("g1-lenient-error", "g1-strict-error");

        Decision notBool = grouped.evaluate(scopes("dyn"));
        assertThat(notBool.reason()).isEqualTo(PolicySet.POLICY_ERROR);
        assertThat(notBool.findings()).singleElement().satisfies(f -> assertThat(f.detail()).contains("expected bool"));

        assertThat(grouped.evaluate(scopes("variable")).findings()).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("variable 'boom' failed"));

        Decision external = grouped.evaluate(Requests.with(ciRunner(), new NetworkInfo("192.168.1.1", null, null)));
        assertThat(external.allowed()).isTrue();
        assertThat(external.findings()).extracting(RuleFinding::rule).containsExactly("shadow-external");

        Decision shadowThenLast = grouped.evaluate(scopes("shadow-error", "last"));
        assertThat(shadowThenLast.rule()).isEqualTo("g3-last");
        assertThat(shadowThenLast.findings()).extracting(RuleFinding::rule).containsExactly("shadow-error");

        Decision many = grouped.evaluate(scopes(Collections.nCopies(600, "read").toArray(String[]::new)));
        assertThat(many.allowed()).isTrue();
        assertThat(many.findings()).isEmpty();

        assertThat(grouped.evaluate(scopes("pdp", "read")).findings()).extracting(RuleFinding::rule).containsExactly("pdp");
        assertThat(grouped.evaluate(Requests.with(ciRunner(),
                Requests.withAttribute(ciRunner().client(), "mintgate.tenant", "other"))).rule()).isEqualTo("g3-tenant");
    }

    @Test
    void aCommentAtTheEndOfAnExpressionDoesNotSwallowTheRestOfTheGroup() throws Exception {
        String policy = """
                {"rules": [
                  {"name": "a", "reason": "a", "match": "true // always", "deny": "false // never"},
                  {"name": "b", "reason": "b", "allowIf": "true // fine"},
                  {"name": "c", "reason": "c", "deny": "'deploy' in grant.scopes // deploys are refused"}
                ]}""";
        PolicySet grouped = compile(policy, true);
        assertThat(grouped.groups()).singleElement().extracting(RuleGroup::end).isEqualTo(3);
        assertThat(grouped.evaluate(ciRunner()).rule()).isEqualTo("c");
        assertThat(grouped.evaluate(scopes("read")).allowed()).isTrue();
    }

    @Test
    void aLongRunOfPlainRulesIsSplitIntoSeveralGroups() throws Exception {
        StringBuilder rules = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            rules.append(i == 0 ? "" : ",").append("{\"name\": \"r").append(i).append("\", \"reason\": \"r\", \"deny\": \"'s")
                    .append(i).append("' in grant.scopes\"}");
        }
        String policy = "{\"rules\": [" + rules + "]}";
        PolicySet grouped = compile(policy, true);
        assertThat(grouped.groups()).extracting(RuleGroup::start).containsExactly(0, RuleGroup.MAX_RULES, 2 * RuleGroup.MAX_RULES);
        for (int i = 0; i < 30; i++) {
            assertThat(grouped.evaluate(scopes("read", "s" + i)).rule()).isEqualTo("r" + i);
        }
        assertThat(grouped.evaluate(scopes("read")).allowed()).isTrue();
    }
}
