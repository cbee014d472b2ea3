package io.mintgate.it.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.TokenResponse;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import io.mintgate.it.harness.StoredEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Versions of a stored policy ({@code /admin/realms/{realm}/mintgate/policies}): three saves give three versions
 * with who and when, a diff between them, a roll back to the first, after which Keycloak's stored events name the
 * first version's hash for both an allowed and a refused token.
 */
@MintgateIT
class PolicyVersionsIT {

    private static final String TYPE = "io.mintgate.authorizer.keycloak.store.IssuancePolicy";
    private static final String OPEN = "{\"rules\": []}";
    private static final String NO_CI = """
            {"rules": [{"name": "no-ci", "reason": "no_ci",
                        "deny": "client.attributes[?'mintgate.kind'].orValue('') == 'ci-runner'"}]}""";

    private AdminApi admin;
    private RealmFixture realm;
    private OidcClient oidc;
    private StoredEvents events;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        realm = RealmFixture.create(admin, "stored-policy.json");
        oidc = new OidcClient(keycloak, realm.name());
        events = new StoredEvents(admin, realm.name());
        events.enable(List.of("jboss-logging", "mintgate-audit"), List.of("CLIENT_LOGIN", "CLIENT_LOGIN_ERROR"));
    }

    @AfterAll
    void tearDown() {
        realm.close();
    }

    @Test
    void threeSavesThreeVersionsADiffAndARollBackThatDecisionsName() {
        String base = realm.path() + "/mintgate/policies";
        JsonNode listed = admin.get(base).expect(200).json();
        assertThat(listed.get(0).path("name").asText()).isEqualTo("agents");
        assertThat(listed.get(0).path("versions").asInt()).as("the import is the first version").isEqualTo(1);
        String first = listed.get(0).path("version").asText();
        assertThat(first).startsWith("sha256:");

        String id = listed.get(0).path("id").asText();
        save(id, OPEN);
        save(id, NO_CI);
        save(id, NO_CI); // the same text again is no new version

        JsonNode versions = admin.get(base + "/agents/versions").expect(200).json();
        assertThat(versions).hasSize(3);
        assertThat(versions.get(0).path("current").asBoolean()).isTrue();
        assertThat(versions.get(2).path("version").asText()).isEqualTo(first);
        assertThat(versions.get(0).path("savedBy").asText()).as("the admin's user id").isNotBlank();
        assertThat(versions.get(0).path("client").asText()).isNotBlank();
        String third = versions.get(0).path("version").asText();
        assertThat(admin.get(base + "/agents/versions/" + first).expect(200).json().path("policy").asText())
                .contains("no-agents");

        List<String> diff = lines(admin.get(base + "/agents/diff?from=" + first + "&to=" + third).expect(200).json());
        assertThat(diff.get(0)).isEqualTo("--- agents@" + first);
        assertThat(diff).anyMatch(l -> l.startsWith("-") && l.contains("no-agents"))
                .anyMatch(l -> l.startsWith("+") && l.contains("no-ci"));
        assertThat(admin.get(base + "/agents/diff?from=sha256:0000000000000000").status()).isEqualTo(404);

        // the third version decides: CI runners are refused, agents get tokens
        refusedAs(oidc.clientCredentials("ci-runner", "ci-runner-secret", null), "no_ci");

        JsonNode rolledBack = admin.post(base + "/agents/versions/" + first + "/rollback", Map.of()).expect(200).json();
        assertThat(rolledBack.path("version").asText()).isEqualTo(first);
        assertThat(admin.get(base + "/agents/versions").expect(200).json()).hasSize(4);

        assertThat(oidc.clientCredentials("ci-runner", "ci-runner-secret", null).indicatesSuccess()).isTrue();
        refusedAs(oidc.clientCredentials("rogue-agent", "rogue-agent-secret", null), "agents_blocked");
        events.await("CLIENT_LOGIN", "of ci-runner decided by " + first,
                e -> "ci-runner".equals(e.path("clientId").asText())
                        && first.equals(e.at("/details/mintgate_policy_version").asText()));
        events.await("CLIENT_LOGIN_ERROR", "of rogue-agent decided by " + first,
                e -> "rogue-agent".equals(e.path("clientId").asText())
                        && first.equals(e.at("/details/mintgate_policy_version").asText()));
    }

    @Test
    void aRollBackToAnUnknownVersionIs404AndTheHistoryCannotBeRewrittenThroughTheComponentsApi() {
        String base = realm.path() + "/mintgate/policies";
        assertThat(admin.post(base + "/agents/versions/sha256:0000000000000000/rollback", Map.of()).status()).isEqualTo(404);
        assertThat(admin.get(base + "/nobody/versions").status()).isEqualTo(404);

        JsonNode component = admin.get(realm.path() + "/components?type=" + TYPE).expect(200).json().get(0);
        int before = admin.get(base + "/agents/versions").expect(200).json().size();
        admin.put(realm.path() + "/components/" + component.path("id").asText(), Map.of("name", "agents",
                "providerId", "cel", "providerType", TYPE, "parentId", component.path("parentId").asText(),
                "config", Map.of("policy", List.of(component.at("/config/policy/0").asText()),
                        "history", List.of("{\"version\": \"forged\"}")))).expect(204);
        JsonNode after = admin.get(base + "/agents/versions").expect(200).json();
        assertThat(after).hasSize(before);
        assertThat(after.findValuesAsText("version")).doesNotContain("forged");
    }

    private void save(String id, String policy) {
        admin.put(realm.path() + "/components/" + id, Map.of("name", "agents", "providerId", "cel",
                "providerType", TYPE, "config", Map.of("policy", List.of(policy)))).expect(204);
    }

    private static List<String> lines(JsonNode diff) {
        List<String> out = new ArrayList<>();
        diff.path("diff").forEach(l -> out.add(l.asText()));
        return out;
    }

    private static void refusedAs(TokenResponse response, String reason) {
        assertThat(response.indicatesSuccess()).isFalse();
        assertThat(response.toErrorResponse().getErrorObject().getDescription()).contains(reason);
    }
}
