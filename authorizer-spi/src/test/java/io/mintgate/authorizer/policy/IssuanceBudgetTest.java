package io.mintgate.authorizer.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mintgate.authorizer.policy.budget.BudgetCounters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The {@code budget} rule field: what counts, which key, which window, and what a refusal says. */
class IssuanceBudgetTest {

    private static final Instant T0 = Instant.parse("2026-11-23T01:00:05Z");

    /** Counters as a map, recording every counter a request took from. */
    private static final class MapCounters implements BudgetCounters, DecisionServices {
        final Map<String, Long> counts = new ConcurrentHashMap<>();
        final List<Instant> expiries = new ArrayList<>();

        @Override
        public boolean tryTake(String counter, long limit, Instant expiresAt) {
            expiries.add(expiresAt);
            long taken = counts.getOrDefault(counter, 0L);
            if (taken >= limit) {
                return false;
            }
            counts.put(counter, taken + 1);
            return true;
        }

        @Override
        public <T> T facility(Class<T> type) {
            return type == BudgetCounters.class ? type.cast(this) : null;
        }
    }

    private final MapCounters counters = new MapCounters();

    private static PolicySet policy(String json) {
        try {
            return PolicyCompiler.compile(json);
        } catch (PolicyValidationException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static final String HOURLY_TWO_PER_CLIENT = """
            {"rules": [{"name": "ci-budget", "reason": "budget_exhausted",
                        "budget": {"key": "client.clientId", "limit": 2, "window": "PT1H"}}]}
            """;

    private Decision decide(PolicySet policy, IssuanceRequest request) {
        return policy.evaluate(request, counters);
    }

    private static IssuanceRequest client(String clientId, Instant at) {
        IssuanceRequest r = Requests.at(Requests.ciRunner(), at);
        ClientInfo c = r.client();
        return Requests.with(r, new ClientInfo(c.id(), clientId, c.authMethod(), c.publicClient(), c.attributes(),
                c.roles(), c.scopes()));
    }

    @Test
    void limitTokensPassAndTheNextIsRefusedWithTheResetTime() {
        PolicySet policy = policy(HOURLY_TWO_PER_CLIENT);
        assertThat(decide(policy, client("ci", T0)).allowed()).isTrue();
        assertThat(decide(policy, client("ci", T0.plusSeconds(60))).allowed()).isTrue();

        Decision third = decide(policy, client("ci", T0.plusSeconds(120)));
        assertThat(third.allowed()).isFalse();
        assertThat(third.reason()).isEqualTo("budget_exhausted");
        assertThat(third.rule()).isEqualTo("ci-budget");
        assertThat(third.message()).isEqualTo(
                "Issuance budget of 2 per PT1H for this key is exhausted; it resets at 2026-11-23T02:00:00Z.");
        assertThat(counters.expiries).containsOnly(Instant.parse("2026-11-23T02:00:00Z"));
    }

    @Test
    void theBudgetComesBackWhenTheWindowResets() {
        PolicySet policy = policy(HOURLY_TWO_PER_CLIENT);
        decide(policy, client("ci", T0));
        decide(policy, client("ci", T0));
        assertThat(decide(policy, client("ci", Instant.parse("2026-11-23T01:59:59Z"))).allowed()).isFalse();
        assertThat(decide(policy, client("ci", Instant.parse("2026-11-23T02:00:00Z"))).allowed()).isTrue();
    }

    @Test
    void eachKeyHasItsOwnBudget() {
        PolicySet policy = policy(HOURLY_TWO_PER_CLIENT);
        decide(policy, client("ci-a", T0));
        decide(policy, client("ci-a", T0));
        assertThat(decide(policy, client("ci-a", T0)).allowed()).isFalse();
        assertThat(decide(policy, client("ci-b", T0)).allowed()).isTrue();
    }

    @Test
    void namedKeysStandForTheClientTheOwnerAndTheOrganization() {
        PolicySet policy = policy("""
                {"rules": [{"name": "per-owner", "reason": "budget_exhausted",
                            "budget": {"key": "owner", "limit": 1, "window": "PT1M"}}]}
                """);
        IssuanceRequest alice = Requests.with(client("bot-1", T0), new NhiInfo("alice", true, true, null, ""));
        IssuanceRequest aliceOtherBot = Requests.with(client("bot-2", T0), new NhiInfo("alice", true, true, null, ""));
        IssuanceRequest bob = Requests.with(client("bot-3", T0), new NhiInfo("bob", true, true, null, ""));
        assertThat(decide(policy, alice).allowed()).isTrue();
        assertThat(decide(policy, aliceOtherBot).allowed()).as("same owner, other client").isFalse();
        assertThat(decide(policy, bob).allowed()).isTrue();
        assertThat(policy("""
                {"rules": [{"name": "t", "reason": "budget_exhausted",
                            "budget": {"key": "organization", "limit": 1, "window": "PT1M"}},
                           {"name": "c", "reason": "budget_exhausted",
                            "budget": {"key": "client", "limit": 1, "window": "PT1M"}}]}
                """).size()).isEqualTo(2);
    }

    @Test
    void aComputedKeyCombinesFields() {
        PolicySet policy = policy("""
                {"rules": [{"name": "per-repo", "reason": "budget_exhausted",
                            "budget": {"key": "client.clientId + '/' + workload.claims[?'repository'].orValue('none')",
                                       "limit": 1, "window": "PT1M"}}]}
                """);
        assertThat(decide(policy, client("ci", T0)).allowed()).isTrue();
        assertThat(decide(policy, client("ci", T0)).allowed()).isFalse();
        assertThat(counters.counts.keySet()).singleElement().asString().endsWith("::ci/acme/app");
    }

    @Test
    void aTokenRefusedByALaterRuleConsumesNoBudget() {
        PolicySet policy = policy("""
                {"rules": [{"name": "budget", "reason": "budget_exhausted",
                            "budget": {"key": "client", "limit": 1, "window": "PT1H"}},
                           {"name": "no-admin", "reason": "forbidden_scope", "deny": "'admin' in grant.scopes"}]}
                """);
        IssuanceRequest admin = Requests.withScopes(client("ci", T0), "admin");
        assertThat(decide(policy, admin).reason()).isEqualTo("forbidden_scope");
        assertThat(decide(policy, admin).reason()).isEqualTo("forbidden_scope");
        assertThat(counters.counts).isEmpty();
        assertThat(decide(policy, client("ci", T0)).allowed()).isTrue();
    }

    @Test
    void aBudgetOnlyCountsRequestsItsRuleMatches() {
        PolicySet policy = policy("""
                {"rules": [{"name": "deploy-budget", "reason": "budget_exhausted", "match": "'deploy' in grant.scopes",
                            "budget": {"key": "client", "limit": 1, "window": "PT1H"}}]}
                """);
        IssuanceRequest read = Requests.withScopes(client("ci", T0), "read");
        assertThat(decide(policy, read).allowed()).isTrue();
        assertThat(decide(policy, read).allowed()).isTrue();
        assertThat(decide(policy, client("ci", T0)).allowed()).isTrue();
        assertThat(decide(policy, client("ci", T0)).allowed()).isFalse();
    }

    @Test
    void aRuleWhoseObligationsFailCountsNothingUnderOnErrorAllow() {
        PolicySet policy = policy("""
                {"rules": [{"name": "soft", "reason": "budget_exhausted", "onError": "allow",
                            "obligations": {"keepScopes": "client.attributes['missing'].splitList()"},
                            "budget": {"key": "client", "limit": 1, "window": "PT1H"}}]}
                """);
        Decision first = decide(policy, client("ci", T0));
        assertThat(first.allowed()).isTrue();
        assertThat(first.findings()).singleElement().satisfies(f -> assertThat(f.error()).isTrue());
        assertThat(decide(policy, client("ci", T0)).allowed()).isTrue();
        assertThat(counters.counts).isEmpty();
    }

    @Test
    void aShadowBudgetMintsAndReportsTheWouldBeRefusal() {
        PolicySet policy = policy("""
                {"rules": [{"name": "ci-budget-trial", "reason": "budget_exhausted", "mode": "shadow",
                            "budget": {"key": "client", "limit": 1, "window": "PT1H"}}]}
                """);
        assertThat(decide(policy, client("ci", T0)).findings()).isEmpty();
        Decision second = decide(policy, client("ci", T0));
        assertThat(second.allowed()).isTrue();
        assertThat(second.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("ci-budget-trial");
            assertThat(f.reason()).isEqualTo("budget_exhausted");
            assertThat(f.mode()).isEqualTo(Mode.SHADOW);
            assertThat(f.error()).isFalse();
            assertThat(f.detail()).contains("resets at 2026-11-23T02:00:00Z");
        });
    }

    @Test
    void withoutCountersTheBudgetFailsClosed() {
        Decision decision = policy(HOURLY_TWO_PER_CLIENT).evaluate(client("ci", T0), DecisionServices.NONE);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo(PolicySet.POLICY_ERROR);
        assertThat(decision.findings()).singleElement().satisfies(f -> assertThat(f.detail()).contains("BudgetCounters"));
    }

    @Test
    void onErrorAllowLetsTheTokenThroughWhenTheCountersAreDown() {
        Decision decision = policy("""
                {"rules": [{"name": "soft", "reason": "budget_exhausted", "onError": "allow",
                            "budget": {"key": "client", "limit": 1, "window": "PT1H"}}]}
                """).evaluate(client("ci", T0), DecisionServices.NONE);
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.findings()).singleElement().satisfies(f -> assertThat(f.error()).isTrue());
    }

    @Test
    void anEmptyKeyIsAnErrorNotOneSharedBudget() {
        PolicySet policy = policy("""
                {"rules": [{"name": "per-owner", "reason": "budget_exhausted",
                            "budget": {"key": "owner", "limit": 5, "window": "PT1H"}}]}
                """);
        Decision decision = decide(policy, client("ownerless", T0));
        assertThat(decision.reason()).isEqualTo(PolicySet.POLICY_ERROR);
        assertThat(decision.findings()).singleElement().satisfies(f -> assertThat(f.detail()).contains("budget key is empty"));
        assertThat(counters.counts).isEmpty();
    }

    @Test
    void rulesWithTheSameKeyButDifferentNamesOrWindowsCountSeparately() {
        PolicySet policy = policy("""
                {"rules": [{"name": "minute", "reason": "budget_exhausted", "budget": {"key": "client", "limit": 5, "window": "PT1M"}},
                           {"name": "hour", "reason": "budget_exhausted", "budget": {"key": "client", "limit": 5, "window": "PT1H"}}]}
                """);
        decide(policy, client("ci", T0));
        assertThat(counters.counts).hasSize(2).containsValues(1L, 1L);
    }

    @Test
    void theDocumentedBudgetRulesCompileAndCountAsDescribed() throws Exception {
        String reference = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/policy-reference.md"));
        String lifecycle = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/nhi-lifecycle.md"));
        String ciBudget = """
                {"name": "ci-budget", "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ci-runner'",
                 "reason": "budget_exhausted",
                 "budget": {"key": "client", "limit": 100, "window": "PT1H"}}""";
        String ownerBudget = """
                {"name": "owner-budget", "match": "nhi.owner != ''", "reason": "budget_exhausted",
                 "budget": {"key": "owner", "limit": 1000, "window": "P1D"}}""";
        assertThat(reference).contains(ciBudget);
        assertThat(lifecycle).contains(ownerBudget);

        PolicySet policy = policy("{\"rules\": [" + ciBudget + ", " + ownerBudget + "]}");
        for (int i = 0; i < 100; i++) {
            assertThat(decide(policy, client("ci", T0)).allowed()).isTrue();
        }
        Decision refused = decide(policy, client("ci", T0));
        assertThat(refused.rule()).isEqualTo("ci-budget");
        assertThat(refused.message()).endsWith("it resets at 2026-11-23T02:00:00Z.");
        IssuanceRequest owned = Requests.with(client("ci", Instant.parse("2026-11-23T02:00:00Z")),
                new NhiInfo("alice", true, true, null, ""));
        assertThat(decide(policy, owned).allowed()).isTrue();
        assertThat(counters.counts.keySet()).anyMatch(k -> k.contains("owner-budget") && k.endsWith("::alice"));
    }

    @Test
    void badBudgetsAreRejectedWhenSavedNamingEachField() {
        PolicyValidationException e = catchThrowableOfType(PolicyValidationException.class, () -> PolicyCompiler.compile("""
                {"rules": [{"name": "a", "reason": "budget_exhausted", "budget": {"key": "client.clientid", "limit": 0, "window": "1h", "per": "x"}},
                           {"name": "b", "reason": "budget_exhausted", "budget": {"key": "client.roles", "limit": 1.5, "window": "PT0.5S"}},
                           {"name": "c", "reason": "budget_exhausted", "budget": {}},
                           {"name": "d", "reason": "budget_exhausted", "budget": "PT1H"}]}
                """));
        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(PolicyProblem::field).containsExactlyInAnyOrder(
                "rules[0].budget.key", "rules[0].budget.limit", "rules[0].budget.window", "rules[0].budget.per",
                "rules[1].budget.key", "rules[1].budget.limit", "rules[1].budget.window",
                "rules[2].budget.key", "rules[2].budget.limit", "rules[2].budget.window",
                "rules[3].budget");
        assertThat(e.getMessage()).contains("undefined field 'clientid'", "expression must be string",
                "at least 1", "ISO-8601", "whole seconds");
    }
}
