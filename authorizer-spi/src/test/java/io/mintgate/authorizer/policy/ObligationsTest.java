package io.mintgate.authorizer.policy;

import static io.mintgate.authorizer.policy.Requests.ciRunner;
import static io.mintgate.authorizer.policy.Requests.compile;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObligationsTest {

    @Test
    void intersectingNarrowsEverySetAndTakesTheShortestLifetimes() {
        Obligations a = Obligations.builder().keepScopes(Set.of("read", "write")).keepRoles(Set.of("viewer"))
                .maxAccessTokenLifetime(Duration.ofMinutes(10)).maxRefreshTokenLifetime(Duration.ofHours(8))
                .claims(Map.of("team", "a", "tier", "gold")).build();
        Obligations b = Obligations.builder().keepScopes(Set.of("read", "deploy")).keepAudiences(Set.of("billing-api"))
                .maxAccessTokenLifetime(Duration.ofMinutes(5)).refreshTokenAllowed(false).claims(Map.of("team", "b"))
                .build();
        Obligations c = a.intersect(b);
        assertThat(c.keepScopes()).containsExactly("read");
        assertThat(c.keepAudiences()).containsExactly("billing-api");
        assertThat(c.keepRoles()).containsExactly("viewer");
        assertThat(c.maxAccessTokenLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.refreshTokenAllowed()).isFalse();
        assertThat(c.maxRefreshTokenLifetime()).isEqualTo(Duration.ofHours(8));
        assertThat(c.claims()).containsOnly(Map.entry("team", "b"), Map.entry("tier", "gold"));
    }

    @Test
    void theDecisionIdClaimCarriesTheIdOfTheDecisionThatAllowedTheToken() throws Exception {
        Decision d = compile("""
                {"rules": [{"name": "tag", "reason": "x", "allowIf": "true", "obligations": {"decisionIdClaim": "true"}}]}
                """).evaluate(ciRunner());
        assertThat(d.allowed()).isTrue();
        assertThat(d.obligations().claims()).containsExactly(Map.entry("mintgate_decision_id", d.id()));
    }

    @Test
    void theActClaimNamesTheActorOfADelegationAndIsAbsentWithoutOne() throws Exception {
        PolicySet policy = compile("""
                {"rules": [{"name": "act", "reason": "x", "allowIf": "true", "obligations": {"actClaim": "true"}}]}
                """);
        IssuanceRequest r = ciRunner();
        IssuanceRequest exchange = new IssuanceRequest(r.realm(), r.time(), r.event(), r.grant(), r.client(), r.subject(),
                new ActorInfo("exchanger", ""), r.network(), r.workload(), r.organization(), r.nhi());
        assertThat(policy.evaluate(exchange).obligations().claims())
                .containsExactly(Map.entry("act", Map.of("sub", "exchanger", "client_id", "exchanger")));
        assertThat(policy.evaluate(r).obligations().claims()).isEmpty();
    }

    @Test
    void theActClaimNestsTheEarlierActorsOfTheChainNewestOutermost() throws Exception {
        PolicySet policy = compile("""
                {"rules": [{"name": "act", "reason": "x", "allowIf": "true", "obligations": {"actClaim": "true"}}]}
                """);
        IssuanceRequest r = ciRunner();
        IssuanceRequest secondHop = new IssuanceRequest(r.realm(), r.time(), r.event(), r.grant(), r.client(),
                r.subject(), new ActorInfo("payments-tool", "", List.of(new ActorInfo.Prior("agent", "agent-sub"),
                new ActorInfo.Prior("", "orchestrator-sub"))), r.network(), r.workload(), r.organization(), r.nhi());
        assertThat(policy.evaluate(secondHop).obligations().claims()).containsExactly(Map.entry("act",
                Map.of("sub", "payments-tool", "client_id", "payments-tool",
                        "act", Map.of("sub", "agent-sub", "client_id", "agent",
                                "act", Map.of("sub", "orchestrator-sub")))));
    }

    @Test
    void policiesReadTheDelegationChainsDepthAndEarlierActors() throws Exception {
        PolicySet policy = compile("""
                {"rules": [
                  {"name": "too-deep", "reason": "delegation_too_deep", "deny": "actor.depth > 2"},
                  {"name": "known-agents", "reason": "unknown_agent",
                   "deny": "actor.prior.exists(a, !(a.clientId in ['agent', '']))"}]}
                """);
        IssuanceRequest r = ciRunner();
        java.util.function.Function<List<ActorInfo.Prior>, IssuanceRequest> withChain = prior -> new IssuanceRequest(
                r.realm(), r.time(), r.event(), r.grant(), r.client(), r.subject(), new ActorInfo("tool", "", prior),
                r.network(), r.workload(), r.organization(), r.nhi());
        assertThat(policy.evaluate(r).allowed()).as("no actor: depth 0").isTrue();
        assertThat(policy.evaluate(withChain.apply(List.of(new ActorInfo.Prior("agent", "a")))).allowed()).isTrue();
        assertThat(policy.evaluate(withChain.apply(List.of(new ActorInfo.Prior("rogue", "a")))).reason())
                .isEqualTo("unknown_agent");
        assertThat(policy.evaluate(withChain.apply(List.of(new ActorInfo.Prior("agent", "a"),
                new ActorInfo.Prior("", "b")))).reason()).isEqualTo("delegation_too_deep");
    }

    @Test
    void noneIsTheIdentityOfIntersection() {
        Obligations a = Obligations.builder().keepScopes(Set.of("read")).build();
        assertThat(Obligations.NONE.isEmpty()).isTrue();
        assertThat(a.isEmpty()).isFalse();
        assertThat(Obligations.NONE.intersect(a)).isEqualTo(a);
        assertThat(a.intersect(Obligations.NONE)).isEqualTo(a);
    }

    @Test
    void disjointScopeSetsIntersectToNothingRatherThanToUnrestricted() {
        Obligations c = Obligations.builder().keepScopes(Set.of("a")).build()
                .intersect(Obligations.builder().keepScopes(Set.of("b")).build());
        assertThat(c.keepScopes()).isNotNull().isEmpty();
    }

    @Test
    void obligationsOfAllMatchingAllowingRulesCombineAndLaterClaimsWin() {
        PolicySet policy = compile("""
                {"rules": [
                  {"name": "a", "reason": "x", "deny": "false", "obligations": {
                     "keepScopes": "['read', 'deploy']", "maxAccessTokenLifetime": "duration('10m')",
                     "claims": {"purpose": "'ci'", "run": "workload.claims['run_attempt']"}}},
                  {"name": "skipped", "reason": "x", "match": "false", "deny": "false", "obligations": {"keepScopes": "[]"}},
                  {"name": "b", "reason": "x", "allowIf": "true", "obligations": {
                     "keepScopes": "grant.scopes.filter(s, s != 'deploy')", "maxAccessTokenLifetime": "duration('15m')",
                     "refreshToken": "false", "maxRefreshTokenLifetime": "duration('1h')",
                     "keepAudiences": "['deploy-api']", "keepRoles": "[]", "claims": {"purpose": "'deploy'", "at": "now"}}}]}
                """);
        Decision d = policy.evaluate(ciRunner());
        assertThat(d.allowed()).isTrue();
        Obligations o = d.obligations();
        assertThat(o.keepScopes()).containsExactly("read");
        assertThat(o.keepAudiences()).containsExactly("deploy-api");
        assertThat(o.keepRoles()).isEmpty();
        assertThat(o.maxAccessTokenLifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(o.refreshTokenAllowed()).isFalse();
        assertThat(o.maxRefreshTokenLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(o.claims()).containsEntry("purpose", "deploy").containsEntry("run", 1L)
                .containsEntry("at", Requests.TUESDAY_MORNING.getEpochSecond());
    }

    @Test
    void theClaimsMapTheEngineHandsOverIsReadOnlyAndEqualToAPlainMap() {
        // The first rule's claims map is taken over, not copied, by the builder and then by Obligations.
        PolicySet policy = compile("""
                {"rules": [
                  {"name": "a", "reason": "x", "allowIf": "true", "obligations": {"claims": {"purpose": "'ci'", "team": "'a'"}}},
                  {"name": "b", "reason": "x", "allowIf": "true", "obligations": {"claims": {"team": "'b'"}}}]}
                """);
        Map<String, Object> claims = policy.evaluate(ciRunner()).obligations().claims();
        assertThat(claims).isEqualTo(Map.of("purpose", "ci", "team", "b")).containsExactly(
                Map.entry("purpose", "ci"), Map.entry("team", "b"));
        assertThat(claims.hashCode()).isEqualTo(Map.of("purpose", "ci", "team", "b").hashCode());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> claims.put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> claims.entrySet().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(policy.evaluate(ciRunner()).obligations().claims()).as("each decision has its own map").isNotSameAs(claims);
    }

    @Test
    void aDenialCarriesNoObligations() {
        PolicySet policy = compile("""
                {"rules": [{"name": "a", "reason": "x", "deny": "false", "obligations": {"keepScopes": "['read']"}},
                           {"name": "b", "reason": "no", "deny": "true"}]}
                """);
        assertThat(policy.evaluate(ciRunner()).obligations()).isEqualTo(Obligations.NONE);
    }
}
