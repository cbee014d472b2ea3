package io.mintgate.authorizer.policy;

import static io.mintgate.authorizer.policy.Requests.ciRunner;
import static io.mintgate.authorizer.policy.Requests.compile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which rules can decide before anyone has authenticated (front channel), and what they decide there. */
class BeforeAuthenticationTest {

    /** What the authorization endpoint knows in Mintgate's Keycloak adapter (a subset of the request). */
    private static final Set<String> FRONT = Set.of("realm", "now", "event", "grant.type", "grant.scopes",
            "grant.resources", "client", "nhi", "network.sourceAddress");

    private static final String POLICY = """
            {"variables": [
               {"name": "approved", "expression": "['read', 'deploy']"},
               {"name": "owner", "expression": "subject.attributes[?'owner'].orValue([])"},
               {"name": "ownerCount", "expression": "size(variables.owner)"}],
             "rules": [
               {"name": "scopes", "reason": "scope_not_approved",
                "deny": "grant.scopes.exists(s, !(s in variables.approved))"},
               {"name": "flagged-client", "reason": "client_flagged", "match": "grant.type == 'client_credentials'",
                "deny": "'test.deny' in client.attributes"},
               {"name": "subject", "reason": "subject_flagged", "deny": "'test.deny' in subject.attributes"},
               {"name": "actor", "reason": "no_actor", "allowIf": "!actor.present"},
               {"name": "through-variable", "reason": "owner", "deny": "variables.ownerCount > 1"},
               {"name": "workload", "reason": "wrong_repo", "allowIf": "workload.claims[?'repository'] == optional.of('acme/app')"},
               {"name": "audience", "reason": "aud", "deny": "'admin-api' in grant.audiences"},
               {"name": "dpop", "reason": "unbound", "allowIf": "network.dpopThumbprint != ''"},
               {"name": "office", "reason": "off_network", "allowIf": "network.sourceAddress.inCidr('10.0.0.0/8')"},
               {"name": "narrowing", "reason": "least_privilege", "allowIf": "true",
                "obligations": {"keepScopes": "['read']"}},
               {"name": "budget", "reason": "budget_exhausted",
                "budget": {"key": "client.clientId", "limit": 1, "window": "PT1H"}},
               {"name": "expired", "reason": "nhi_expired", "match": "nhi.present", "deny": "nhi.expiresAt < now"}]}
            """;

    @Test
    void factsReadAreTheSelectedFieldsWithPolicyVariablesExpandedTransitively() {
        PolicySet policy = compile(POLICY);
        assertThat(policy.factsRead("scopes")).containsExactly("grant.scopes");
        assertThat(policy.factsRead("flagged-client")).containsExactlyInAnyOrder("grant.type", "client.attributes");
        assertThat(policy.factsRead("through-variable")).containsExactly("subject.attributes");
        assertThat(policy.factsRead("workload")).containsExactly("workload.claims");
        assertThat(policy.factsRead("narrowing")).isEmpty();
        assertThat(policy.factsRead("expired")).containsExactlyInAnyOrder("nhi.present", "nhi.expiresAt", "now");
    }

    @Test
    void onlyRulesWithoutChecksThatReadKnownFactsRunBeforeAuthentication() {
        PolicySet early = compile(POLICY).beforeAuthentication(FRONT);
        // subject, actor, a variable that reads subject, workload, audiences, DPoP: unknown at the front channel;
        // the budget is a check, never spent before login.
        assertThat(early.ruleNames()).containsExactly("scopes", "flagged-client", "office", "narrowing", "expired");
    }

    @Test
    void aVariableThatReadsTheSubjectDisqualifiesEveryRuleThatUsesIt() {
        PolicySet policy = compile("""
                {"variables": [{"name": "vip", "expression": "'vip' in subject.realmRoles"},
                               {"name": "gold", "expression": "variables.vip && 'gold' in grant.scopes"},
                               {"name": "admin", "expression": "'admin' in grant.scopes"}],
                 "rules": [{"name": "uses-gold", "reason": "x", "deny": "variables.gold"},
                           {"name": "uses-admin", "reason": "x", "deny": "variables.admin"},
                           {"name": "uses-all", "reason": "x", "match": "variables == variables", "deny": "false"}]}
                """);
        assertThat(policy.factsRead("uses-gold")).containsExactlyInAnyOrder("subject.realmRoles", "grant.scopes");
        assertThat(policy.beforeAuthentication(FRONT).ruleNames()).containsExactly("uses-admin");
    }

    @Test
    void aContextVariableUsedWholeCountsAsReadingAllOfIt() {
        PolicySet policy = compile("""
                {"rules": [{"name": "optional-field", "reason": "x", "deny": "grant.?audiences.orValue([]).size() > 3"},
                           {"name": "shadowing-name", "reason": "x", "deny": "grant.scopes.exists(subject, subject == 'x')"}]}
                """);
        assertThat(policy.factsRead("optional-field")).containsExactly("grant");
        assertThat(policy.beforeAuthentication(FRONT).ruleNames()).isEmpty();
        assertThat(policy.beforeAuthentication(Set.of("grant")).ruleNames()).containsExactly("optional-field");
    }

    @Test
    void anEnforceRuleOnKnownFactsRefusesBeforeAuthenticationWithItsReason() {
        IssuanceRequest par = Requests.withEvent(Requests.with(Requests.withScopes(ciRunner(), "read", "admin"),
                (SubjectInfo) null), "PUSHED_AUTHORIZATION_REQUEST");
        Decision d = compile(POLICY).beforeAuthentication(FRONT).evaluate(par);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("scope_not_approved");
        assertThat(d.rule()).isEqualTo("scopes");
        assertThat(d.policyVersion()).isEqualTo(compile(POLICY).version());
    }

    @Test
    void aSubjectRuleThatWouldDenyDoesNotRefuseBeforeAuthentication() {
        PolicySet policy = compile("""
                {"rules": [{"name": "subject", "reason": "subject_flagged", "deny": "!subject.present"}]}
                """);
        IssuanceRequest anonymous = Requests.with(ciRunner(), (SubjectInfo) null);
        assertThat(policy.evaluate(anonymous).allowed()).isFalse();
        assertThat(policy.beforeAuthentication(FRONT).evaluate(anonymous).allowed()).isTrue();
    }

    @Test
    void shadowRulesRecordWouldDenyAndObligationsAreNotApplied() {
        PolicySet policy = compile("""
                {"rules": [{"name": "watch", "reason": "would_refuse", "mode": "shadow", "deny": "'deploy' in grant.scopes"},
                           {"name": "narrow", "reason": "least_privilege", "allowIf": "true",
                            "obligations": {"keepScopes": "['read']"}}]}
                """);
        Decision d = policy.beforeAuthentication(FRONT).evaluate(ciRunner());
        assertThat(d.allowed()).isTrue();
        assertThat(d.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("watch");
            assertThat(f.mode()).isEqualTo(Mode.SHADOW);
        });
        assertThat(d.obligations().isEmpty()).isTrue();
        assertThat(policy.evaluate(ciRunner()).obligations().isEmpty()).isFalse();
    }

    @Test
    void theRestrictedPolicyIsComputedOncePerSetOfKnownFacts() {
        PolicySet policy = compile(POLICY);
        assertThat(policy.beforeAuthentication(FRONT)).isSameAs(policy.beforeAuthentication(Set.copyOf(FRONT)));
    }

    @Test
    void askingAgainWithTheSameSetsGivesTheSameRestrictedPolicies() {
        PolicySet policy = compile("""
                {"rules": [{"name": "optional-field", "reason": "x", "deny": "grant.?audiences.orValue([]).size() > 3"}]}
                """);
        Set<String> grantOnly = Set.of("grant");
        PolicySet front = policy.beforeAuthentication(FRONT);
        PolicySet grant = policy.beforeAuthentication(grantOnly);
        for (int i = 0; i < 3; i++) {
            assertThat(policy.beforeAuthentication(FRONT)).isSameAs(front);
            assertThat(policy.beforeAuthentication(grantOnly)).isSameAs(grant);
        }
        assertThat(front.ruleNames()).isEmpty();
        assertThat(grant.ruleNames()).containsExactly("optional-field");
        Set<String> actor = Set.of("actor");
        for (int i = 0; i < 2; i++) { // a refused set is never remembered
            assertThatThrownBy(() -> policy.beforeAuthentication(actor)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void subjectAndActorCanNeverBeDeclaredKnownBeforeAuthentication() {
        PolicySet policy = compile(POLICY);
        assertThatThrownBy(() -> policy.beforeAuthentication(Set.of("client", "subject.attributes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject.attributes");
        assertThatThrownBy(() -> policy.beforeAuthentication(Set.of("actor")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyPolicyHasNothingToDecideEarly() {
        assertThat(PolicySet.EMPTY.beforeAuthentication(FRONT).size()).isZero();
        assertThat(compile("{\"rules\": []}").beforeAuthentication(FRONT).evaluate(ciRunner()).allowed()).isTrue();
    }
}
