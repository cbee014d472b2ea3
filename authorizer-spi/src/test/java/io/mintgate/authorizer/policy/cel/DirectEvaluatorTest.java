package io.mintgate.authorizer.policy.cel;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintgate.authorizer.policy.ActorInfo;
import io.mintgate.authorizer.policy.ClientInfo;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.NetworkInfo;
import io.mintgate.authorizer.policy.NhiInfo;
import io.mintgate.authorizer.policy.OrganizationInfo;
import io.mintgate.authorizer.policy.PolicyEvaluationException;
import io.mintgate.authorizer.policy.SubjectInfo;
import io.mintgate.authorizer.policy.WorkloadInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link DirectEvaluator} must answer exactly as the CEL runtime, or not at all. Every expression below is evaluated
 * both ways on every request; where the direct path answers, CEL must have succeeded with an equal value. Errors
 * (missing keys, unset fields, bad CIDRs, wrong dyn types, the iteration limit) must leave the answer to CEL.
 */
class DirectEvaluatorTest {

    private static final String[] EXPRESSIONS = {
            "realm == 'acme'", "realm != 'acme'", "event == 'CLIENT_LOGIN' && realm == 'x'", "realm == 'x' || event != ''",
            "client.publicClient", "!client.publicClient", "client.publicClient ? 'yes' : 'no'",
            "'mintgate.kind' in client.attributes", "client.attributes['mintgate.kind'] == 'ci-runner'",
            "client.attributes['missing'] == 'x'", "client.attributes.missing == 'x'", "has(client.attributes.missing)",
            "has(client.attributes.tenant)", "client.attributes[?'mintgate.kind'].orValue('') == 'ci-runner'",
            "client.attributes[?'missing'].orValue('none')", "client.attributes[?'mintgate.kind'].hasValue()",
            "client.attributes[?'missing'].hasValue()", "client.attributes[?'missing']",
            "workload.claims['repository'] == 'acme/app'", "workload.claims[?'repository'].orValue('') == 'acme/app'",
            "workload.claims['run_attempt'] == 1", "workload.claims['run_attempt'] == 1.0",
            "workload.claims['run_attempt'] == 'x'", "workload.claims['flag']", "workload.claims['nested']['k'] == 'v'",
            "workload.claims[?'environment'].orValue('') in ['production', 'staging']",
            "'deploy' in grant.scopes", "'deploy' in grant.scopes + grant.audiences", "grant.scopes.size() > 0",
            "size(grant.scopes) == 2", "grant.scopes[0]", "grant.scopes[5] == 'x'", "grant.scopes + ['extra']",
            "grant.scopes.exists(s, s == 'x')", "grant.scopes.exists(s, globMatch('admin:*', s))",
            "grant.scopes.all(s, s.startsWith('r') || s.endsWith('y'))", "grant.scopes.exists_one(s, s.contains('e'))",
            "grant.scopes.filter(s, s in ['read', 'deploy'])", "grant.scopes.map(s, s + '!')",
            "grant.scopes.filter(s, s != 'deploy').size() > 0",
            "grant.audiences.filter(a, globMatch(['deploy-*', 'billing-api'], a))",
            "grant.scopes.exists(s, grant.audiences.exists(a, a.startsWith(s)))",
            "grant.scopes.exists(s, s == 'x') || grant.scopes.exists(s, s == 'y')",
            "allGlobMatch(grant.scopes + grant.audiences, client.attributes[?'mintgate.allowed-scopes'].orValue('').splitList())",
            "network.sourceAddress.inCidr(['10.0.0.0/8', '172.16.0.0/12', 'fd00::/8'])",
            "network.sourceAddress.inCidr('10.0.0.0/8')", "network.sourceAddress.inCidr('not-a-cidr')",
            "network.sourceAddress.inCidr(client.attributes['mintgate.allowed-cidrs'].splitList())",
            "has(network.dpopThumbprint)", "network.dpopThumbprint == 'x'",
            "nhi.present && has(nhi.expiresAt)", "nhi.expiresAt <= now", "nhi.expiresAt > now",
            "nhi.ownerExists && nhi.ownerEnabled", "nhi.purpose != ''", "nhi.purpose.size() > 3",
            "subject.present && !subject.enabled", "'platform-admins' in subject.groups", "'x' in subject.attributes",
            "subject.attributes['team'][0] == 'blue'", "'billing' in subject.realmRoles || 'billing-reader' in client.roles",
            "actor.present", "globMatch(['svc-*', 'gateway'], actor.clientId)", "globMatch('svc-*', actor.clientId)",
            "organization.present && organization.alias == client.attributes['mintgate.tenant']",
            "withinHours(now, 'Europe/Paris', 1, 5)", "withinHours(now, 'Nowhere/City', 1, 5)",
            "withinHours(now, 'Europe/Paris', 30, 5)", "isWeekday(now, 'Europe/Paris')",
            "'a' + 'b' == 'ab'", "1 + 2 == 3", "9223372036854775807 + 1 > 0", "'é'.size() == 1", "'😀'.size()",
            "[1, 'a'] == [1, 'a']", "1 in [1, 'a']", "'a' in [1, 'a']", "dyn(1) == dyn('a')",
            "(client.publicClient ? 1 : 2) == 2", "'realm' < 'x'", "duration('1h') > duration('1m')",
    };

    private static IssuanceRequest base() {
        return new IssuanceRequest("acme", Instant.parse("2025-03-04T09:00:00Z"), "CLIENT_LOGIN",
                new Grant("client_credentials", List.of("read", "deploy"), List.of("deploy-prod"), List.of(), null),
                new ClientInfo("c-1", "ci-runner", "federated-jwt", false,
                        Map.of("mintgate.kind", "ci-runner", "mintgate.allowed-cidrs", "10.0.0.0/8, 192.168.0.0/16",
                                "mintgate.tenant", "acme", "mintgate.allowed-scopes", "read deploy* deploy-*"),
                        List.of("deployer"), List.of("read", "deploy")),
                new SubjectInfo("sa-1", "service-account-ci-runner", true, true, Map.of("team", List.of("blue")),
                        List.of("default-roles-acme"), Map.of(), List.of()),
                null, new NetworkInfo("10.20.30.40", null, null),
                new WorkloadInfo("https://issuer", "repo:acme/app",
                        Map.of("repository", "acme/app", "ref", "refs/heads/main", "environment", "production",
                                "run_attempt", 1, "flag", "not-a-bool", "nested", Map.of("k", "v"))),
                new OrganizationInfo("o-1", "acme"),
                new NhiInfo("alice", true, true, Instant.parse("2026-01-01T00:00:00Z"), "deploy acme/app"));
    }

    private static List<IssuanceRequest> requests() {
        IssuanceRequest b = base();
        List<IssuanceRequest> out = new ArrayList<>();
        out.add(b);
        out.add(new IssuanceRequest("other", Instant.parse("2025-03-08T23:30:00Z"), "", // a Saturday night
                new Grant("token-exchange", List.of("admin:all", "x", "y"), List.of("billing-api", "deploy-x"), List.of(), null),
                new ClientInfo("c-2", "spa", "none", true, Map.of("mintgate.allowed-cidrs", "bad, 10.0.0.0/8"),
                        List.of("billing-reader"), List.of()),
                new SubjectInfo("u-1", "bob", true, false, Map.of(), List.of("billing"), Map.of(), List.of("platform-admins")),
                new ActorInfo("svc-gateway", "svc-gateway-sub"), new NetworkInfo("2001:db8::1", null, "thumb"),
                new WorkloadInfo("", "", Map.of()), new OrganizationInfo("", ""), new NhiInfo("", false, false, null, "")));
        // Enough scopes for nested comprehensions to pass CEL's iteration limit (1,000) in one expression.
        List<String> many = new ArrayList<>(Collections.nCopies(40, "read"));
        out.add(new IssuanceRequest(b.realm(), b.time(), b.event(),
                new Grant("client_credentials", many, Collections.nCopies(40, "deploy-prod"), List.of(), null),
                b.client(), b.subject(), b.actor(), b.network(), b.workload(), b.organization(), b.nhi()));
        Map<String, Object> claims = new HashMap<>();
        claims.put("repository", 42);
        claims.put("flag", true);
        out.add(new IssuanceRequest(b.realm(), b.time(), b.event(), b.grant(), b.client(), b.subject(), b.actor(),
                new NetworkInfo("not-an-ip", null, null), new WorkloadInfo("i", "s", claims), b.organization(), b.nhi()));
        return out;
    }

    private static Object celOrError(CompiledExpression e, IssuanceRequest request) {
        try {
            return e.evalWithCel(new RequestActivation(request, PolicyVariables.NONE));
        } catch (PolicyEvaluationException ex) {
            return ex;
        }
    }

    @Test
    void whereTheDirectPathAnswersItAnswersExactlyAsCel() {
        CelEnvironment.ExpressionCompiler compiler = CelEnvironment.compiler(PolicyVariables.NONE);
        int answered = 0;
        int compared = 0;
        for (String source : EXPRESSIONS) {
            CelEnvironment.Result result = compiler.compile("e", source);
            assertThat(result.ok()).as(source + " " + result.issues()).isTrue();
            CompiledExpression expression = result.expression();
            for (IssuanceRequest request : requests()) {
                Object cel = celOrError(expression, request);
                Object direct = expression.evalDirect(new RequestActivation(request, PolicyVariables.NONE));
                compared++;
                if (direct == DirectEvaluator.UNDECIDED) {
                    continue;
                }
                answered++;
                assertThat(cel).as("%s on realm %s: CEL failed where the direct path answered %s", source,
                        request.realm(), direct).isNotInstanceOf(PolicyEvaluationException.class);
                if (cel instanceof List<?> celList) {
                    assertThat(direct).as(source).isInstanceOf(List.class);
                    assertThat(new ArrayList<>((List<?>) direct)).as(source).isEqualTo(new ArrayList<>(celList));
                } else {
                    assertThat(direct).as(source).isEqualTo(cel);
                }
                // And the normal path (direct first) gives the same.
                assertThat(expression.eval(new RequestActivation(request, PolicyVariables.NONE))).as(source).isEqualTo(direct);
            }
        }
        assertThat(compared).isEqualTo(EXPRESSIONS.length * requests().size());
        assertThat(answered).as("the direct path must actually answer most of these").isGreaterThan(compared / 2);
    }

    @Test
    void errorsAreLeftToCelAndStillSurfaceAsTheSameEvaluationErrors() {
        CelEnvironment.ExpressionCompiler compiler = CelEnvironment.compiler(PolicyVariables.NONE);
        // A dyn value of the wrong type is answered (it is a value); the caller rejects it exactly as before.
        CompiledExpression dyn = compiler.compile("e", "workload.claims['flag']").expression();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dyn.evalBool(new RequestActivation(base(), PolicyVariables.NONE)))
                .isInstanceOf(PolicyEvaluationException.class).hasMessage("e: expected bool but got String");
        for (String source : List.of("client.attributes['missing'] == 'x'",
                "network.sourceAddress.inCidr('not-a-cidr')", "grant.scopes[5] == 'x'", "9223372036854775807 + 1 > 0",
                "withinHours(now, 'Nowhere/City', 1, 5)")) {
            CompiledExpression expression = compiler.compile("e", source).expression();
            assertThat(expression.direct()).as(source).isTrue();
            assertThat(expression.evalDirect(new RequestActivation(base(), PolicyVariables.NONE)))
                    .as(source).isSameAs(DirectEvaluator.UNDECIDED);
            Object cel = celOrError(expression, base());
            Object normal;
            try {
                normal = expression.evalBool(new RequestActivation(base(), PolicyVariables.NONE));
            } catch (PolicyEvaluationException e) {
                normal = e;
            }
            assertThat(normal).as(source).isInstanceOf(PolicyEvaluationException.class);
            assertThat(((Exception) normal).getMessage()).as(source).isEqualTo(((Exception) cel).getMessage());
        }
    }

    @Test
    void theComprehensionLimitIsCountedPerEvaluationLikeCel() {
        CompiledExpression nested = CelEnvironment.compiler(PolicyVariables.NONE)
                .compile("e", "grant.scopes.exists(s, grant.audiences.exists(a, a == s))").expression();
        IssuanceRequest many = requests().get(2); // 40 x 40 iterations: over the limit of 1,000
        assertThat(celOrError(nested, many)).isInstanceOf(PolicyEvaluationException.class);
        assertThat(nested.evalDirect(new RequestActivation(many, PolicyVariables.NONE))).isSameAs(DirectEvaluator.UNDECIDED);
        assertThat(nested.evalDirect(new RequestActivation(base(), PolicyVariables.NONE))).isEqualTo(false);
    }

    @Test
    void expressionsOutsideTheSubsetAreNotTakenAtAll() {
        CelEnvironment.ExpressionCompiler compiler = CelEnvironment.compiler(PolicyVariables.NONE);
        for (String source : List.of("duration('1h') > duration(realm.size() > 0 ? '1m' : '2m')", "{'a': realm}['a'] == 'acme'",
                "realm.matches('^a')", "double(1) == 1.0", "[?client.attributes[?'x']].size() == 0")) {
            assertThat(compiler.compile("e", source).expression().direct()).as(source).isFalse();
        }
    }
}
