package io.mintgate.it.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.TokenResponse;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A policy stored once in the realm (component type {@code io.mintgate.authorizer.keycloak.store.IssuancePolicy})
 * and referenced by name from the {@code issuance-authorizer} executor: imported with the realm JSON, validated when
 * saved, followed when edited, failing closed when deleted. Also the {@code issuance-context} condition's negative
 * logic, which selects the clients a policy applies to.
 */
@MintgateIT
class StoredPolicyIT {

    static final String TYPE = "io.mintgate.authorizer.keycloak.store.IssuancePolicy";
    private static final String AGENTS_POLICY = """
            {"rules": [{"name": "no-agents", "reason": "agents_blocked", "message": "AI agents get no tokens here",
              "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent'", "deny": "true"}]}""";

    private AdminApi admin;
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        realm = RealmFixture.create(admin, "stored-policy.json");
        oidc = new OidcClient(keycloak, realm.name());
    }

    @AfterAll
    void tearDown() {
        realm.close();
    }

    @Test
    void theImportedRealmDecidesWithTheStoredPolicyItsExecutorNames() {
        JsonNode executor = admin.get(realm.path() + "/client-policies/profiles").expect(200).json()
                .path("profiles").path(0).path("executors").path(0).path("configuration");
        assertThat(executor.path("policy-name").asText()).isEqualTo("agents");
        assertThat(executor.has("policy")).as("the document is not in the client profiles").isFalse();

        refused(oidc.clientCredentials("rogue-agent", "rogue-agent-secret", null), "agents_blocked");
        JWTClaimsSet token = minted(oidc.clientCredentials("ci-runner", "ci-runner-secret", null));
        assertThat(token.getClaim("azp")).isEqualTo("ci-runner");
    }

    @Test
    void savingAStoredPolicyWithATypeErrorIsRefusedWith400NamingTheRuleFieldAndPosition() {
        String typo = "{\"rules\": [{\"name\": \"typo\", \"reason\": \"typo\", \"deny\": \"client.clientid == 'x'\"}]}";
        AdminApi.Response response = admin.post(realm.path() + "/components", component("broken", typo));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errorMessage").asText(response.body()))
                .contains("Invalid issuance policy", "rules[0].deny", "typo", "line 1, column").containsIgnoringCase("clientid");
        assertThat(storedNames()).containsExactly("agents");
    }

    @Test
    void aPolicyWhoseTestFailsIsRefusedWith400NamingTheCaseAndAPassingOneSaves() {
        String rules = "{\"rules\": [{\"name\": \"no-agents\", \"reason\": \"agents_blocked\", "
                + "\"deny\": \"client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent'\"}], ";
        String failing = rules + """
                "tests": [{"name": "agents get tokens", "request": {"client": {"attributes": {"mintgate.kind": "ai-agent"}}},
                           "expect": {"outcome": "allow"}}]}""";
        AdminApi.Response refused = admin.post(realm.path() + "/components", component("tested", failing));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("errorMessage").asText(refused.body())).contains("tests[0]",
                "case 'agents get tokens' failed: outcome expected allow, got deny (rule no-agents, reason agents_blocked)");
        assertThat(storedNames()).containsExactly("agents");

        AdminApi.Response inline = admin.put(realm.path() + "/client-policies/profiles", profiles(Map.of("policy", failing)));
        assertThat(inline.status()).isEqualTo(400);
        assertThat(inline.json().path("errorMessage").asText(inline.body())).contains("case 'agents get tokens' failed");

        String passing = rules + """
                "tests": [{"name": "agents are refused", "request": {"client": {"attributes": {"mintgate.kind": "ai-agent"}}},
                           "expect": {"outcome": "deny", "reason": "agents_blocked"}}]}""";
        String id = admin.post(realm.path() + "/components", component("tested", passing)).expect(201).location()
                .replaceAll(".*/", "");
        try {
            assertThat(storedNames()).containsExactlyInAnyOrder("agents", "tested");
        } finally {
            admin.delete(realm.path() + "/components/" + id).expect(204);
        }
        // nothing else changed: the realm's own policy still decides
        refused(oidc.clientCredentials("rogue-agent", "rogue-agent-secret", null), "agents_blocked");
    }

    @Test
    void aSecondStoredPolicyWithATakenNameIsRefused() {
        AdminApi.Response response = admin.post(realm.path() + "/components", component("agents", AGENTS_POLICY));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errorMessage").asText(response.body())).contains("already has a stored policy named 'agents'");
        assertThat(storedNames()).containsExactly("agents");
    }

    @Test
    void anExecutorNamingAPolicyThatDoesNotExistOrAlsoCarryingOneInlineIsRefused() {
        AdminApi.Response missing = admin.put(realm.path() + "/client-policies/profiles", profiles(Map.of("policy-name", "nope")));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("errorMessage").asText(missing.body())).contains("policy-name", "'nope'");

        AdminApi.Response both = admin.put(realm.path() + "/client-policies/profiles",
                profiles(Map.of("policy-name", "agents", "policy", AGENTS_POLICY)));
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().path("errorMessage").asText(both.body())).contains("policy-name", "not both");

        // nothing was saved: the stored policy still decides
        refused(oidc.clientCredentials("rogue-agent", "rogue-agent-secret", null), "agents_blocked");
    }

    @Test
    void editingTheStoredPolicyDecidesTheNextTokenAndDeletingItFailsClosed() {
        String id = admin.post(realm.path() + "/components", component("ci-only", """
                {"rules": [{"name": "ci-only", "reason": "not_ci", "deny": "client.attributes[?'mintgate.kind'].orValue('') != 'ci-runner'"}]}"""))
                .expect(201).location().replaceAll(".*/", "");
        try {
            admin.put(realm.path() + "/client-policies/profiles", profiles(Map.of("policy-name", "ci-only"))).expect(204);
            refused(oidc.clientCredentials("exempt-bot", "exempt-bot-secret", null), "not_ci");
            minted(oidc.clientCredentials("ci-runner", "ci-runner-secret", null));

            // edited in place: the very next request follows the new text
            admin.put(realm.path() + "/components/" + id, component("ci-only", """
                    {"rules": [{"name": "no-ci", "reason": "no_ci", "deny": "client.attributes[?'mintgate.kind'].orValue('') == 'ci-runner'"}]}"""))
                    .expect(204);
            refused(oidc.clientCredentials("ci-runner", "ci-runner-secret", null), "no_ci");
            minted(oidc.clientCredentials("exempt-bot", "exempt-bot-secret", null));

            // an edit that does not compile is refused, and the saved text keeps deciding
            AdminApi.Response bad = admin.put(realm.path() + "/components/" + id, component("ci-only", "{\"rules\": [{\"name\": \"x\", \"deny\": \"1 +\"}]}"));
            assertThat(bad.status()).isEqualTo(400);
            refused(oidc.clientCredentials("ci-runner", "ci-runner-secret", null), "no_ci");

            // deleted while an executor still names it: no token for anyone (fail closed), not "no policy"
            admin.delete(realm.path() + "/components/" + id).expect(204);
            id = null;
            refused(oidc.clientCredentials("ci-runner", "ci-runner-secret", null), "policy_error");
            refused(oidc.clientCredentials("exempt-bot", "exempt-bot-secret", null), "policy_error");
        } finally {
            if (id != null) {
                admin.delete(realm.path() + "/components/" + id);
            }
            admin.put(realm.path() + "/client-policies/profiles", profiles(Map.of("policy-name", "agents"))).expect(204);
        }
        refused(oidc.clientCredentials("rogue-agent", "rogue-agent-secret", null), "agents_blocked");
    }

    @Test
    void anIssuanceContextConditionWithNegativeLogicAppliesThePolicyWhereTheExpressionIsFalse() {
        try {
            admin.put(realm.path() + "/client-policies/policies", policies(Map.of(
                    "expression", "client.clientId == 'exempt-bot'", "is-negative-logic", true))).expect(204);
            // both are ai-agents: the policy applies to rogue-agent only
            refused(oidc.clientCredentials("rogue-agent", "rogue-agent-secret", null), "agents_blocked");
            minted(oidc.clientCredentials("exempt-bot", "exempt-bot-secret", null));

            admin.put(realm.path() + "/client-policies/policies", policies(Map.of(
                    "expression", "client.clientId == 'exempt-bot'", "is-negative-logic", false))).expect(204);
            refused(oidc.clientCredentials("exempt-bot", "exempt-bot-secret", null), "agents_blocked");
            minted(oidc.clientCredentials("rogue-agent", "rogue-agent-secret", null));
        } finally {
            admin.put(realm.path() + "/client-policies/policies", Map.of("policies", List.of(Map.of(
                    "name", "mintgate", "enabled", true,
                    "conditions", List.of(Map.of("condition", "any-client", "configuration", Map.of())),
                    "profiles", List.of("mintgate"))))).expect(204);
        }
    }

    // helpers

    private List<String> storedNames() {
        List<String> names = new ArrayList<>();
        admin.get(realm.path() + "/components?type=" + TYPE).expect(200).json().forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    static Map<String, Object> component(String name, String policy) {
        return Map.of("name", name, "providerId", "cel", "providerType", TYPE, "config", Map.of("policy", List.of(policy)));
    }

    private static Map<String, Object> profiles(Map<String, Object> configuration) {
        return Map.of("profiles", List.of(Map.of("name", "mintgate",
                "executors", List.of(Map.of("executor", "issuance-authorizer", "configuration", configuration)))));
    }

    private static Map<String, Object> policies(Map<String, Object> condition) {
        return Map.of("policies", List.of(Map.of("name", "mintgate", "enabled", true,
                "conditions", List.of(Map.of("condition", "issuance-context", "configuration", condition)),
                "profiles", List.of("mintgate"))));
    }

    private JWTClaimsSet minted(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected a token, got %s", response.indicatesSuccess() ? ""
                : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        return oidc.verify(response.toSuccessResponse().getTokens().getAccessToken().getValue());
    }

    /** Asserts an {@code access_denied} whose description ends with Mintgate's reason and decision id. */
    static void refused(TokenResponse response, String reason) {
        assertThat(response.indicatesSuccess()).as("expected a refusal (%s) but a token was minted", reason).isFalse();
        ErrorObject error = response.toErrorResponse().getErrorObject();
        assertThat(error.getCode()).isEqualTo("access_denied");
        assertThat(error.getDescription()).containsPattern("\\(reason: " + reason + ", decision: [0-9a-f-]{36}\\)$");
    }
}
