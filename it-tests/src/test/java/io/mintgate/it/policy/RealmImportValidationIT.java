package io.mintgate.it.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A realm JSON whose Mintgate configuration fails validation is refused on import as it is on a normal save: 400 with
 * every problem (field, rule, position) in {@code errorMessage}, and nothing of the realm is created. Keycloak alone
 * answers these imports with 500 unknown_error. A partial import carries neither components nor client policies.
 */
@MintgateIT
class RealmImportValidationIT {

    private static final String TYPE = "io.mintgate.authorizer.keycloak.store.IssuancePolicy";
    private static final String TYPO = "{\"rules\": [{\"name\": \"typo\", \"reason\": \"typo\", \"deny\": \"client.clientid == 'x'\"}]}";

    private AdminApi admin;

    @BeforeAll
    void setUp(AdminApi admin) {
        this.admin = admin;
    }

    @Test
    void importingAStoredPolicyThatDoesNotCompileIsA400NamingTheRuleFieldAndPosition() {
        ObjectNode realm = realm("import-stored");
        ((ObjectNode) realm.putObject("components")).putArray(TYPE).addPOJO(Map.of(
                "name", "broken", "providerId", "cel", "config", Map.of("policy", List.of(TYPO))));

        AdminApi.Response response = admin.post("/admin/realms", realm);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("errorMessage").asText(response.body()))
                .startsWith("Invalid issuance policy: ")
                .contains("rules[0].deny", "typo", "line 1, column").containsIgnoringCase("clientid");
        assertNotCreated(realm);
    }

    @Test
    void importingAStoredPolicyWithoutItsDocumentIsA400() {
        ObjectNode realm = realm("import-empty");
        ((ObjectNode) realm.putObject("components")).putArray(TYPE).addPOJO(Map.of(
                "name", "empty", "providerId", "cel", "config", Map.of()));

        AdminApi.Response response = admin.post("/admin/realms", realm);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("errorMessage").asText()).isEqualTo("Invalid issuance policy: config.policy: missing");
        assertNotCreated(realm);
    }

    @Test
    void importingAnAuthorizerExecutorWhosePolicyDoesNotCompileIsA400NamingTheProblem() {
        ObjectNode realm = realm("import-executor");
        withProfile(realm, "issuance-authorizer", Map.of("policy", TYPO));

        AdminApi.Response response = admin.post("/admin/realms", realm);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("errorMessage").asText(response.body()))
                .startsWith("Invalid issuance-authorizer policy: ")
                .contains("rules[0].deny", "typo", "line 1, column");
        assertNotCreated(realm);
    }

    @Test
    void importingAnExecutorNamingAStoredPolicyThatIsNotThereIsA400() {
        ObjectNode realm = realm("import-missing");
        withProfile(realm, "issuance-authorizer", Map.of("policy-name", "nope"));

        AdminApi.Response response = admin.post("/admin/realms", realm);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("errorMessage").asText(response.body()))
                .startsWith("Invalid issuance-authorizer policy: ").contains("policy-name", "'nope'");
        assertNotCreated(realm);
    }

    @Test
    void importingIssuanceControlsWithABadMaximumLifetimeIsA400NamingTheKey() {
        ObjectNode realm = realm("import-controls");
        withProfile(realm, "nhi-issuance-controls", Map.of("max-lifetime", "90 days"));

        AdminApi.Response response = admin.post("/admin/realms", realm);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("errorMessage").asText(response.body())).isEqualTo(
                "Invalid nhi-issuance-controls configuration: max-lifetime: '90 days' is not an ISO-8601 duration"
                        + " such as P90D, PT720H or P1Y");
        assertNotCreated(realm);
    }

    @Test
    void aValidRealmWithAStoredPolicyAndItsExecutorStillImports() {
        ObjectNode realm = realm("import-valid");
        ((ObjectNode) realm.putObject("components")).putArray(TYPE).addPOJO(Map.of("name", "ok", "providerId", "cel",
                "config", Map.of("policy", List.of("{\"rules\": [{\"name\": \"r\", \"reason\": \"r\", \"deny\": \"false\"}]}"))));
        withProfile(realm, "issuance-authorizer", Map.of("policy-name", "ok"));
        String name = realm.get("realm").asText();
        try {
            admin.post("/admin/realms", realm).expect(201);
            assertThat(admin.get("/admin/realms/" + name + "/client-policies/profiles").expect(200).json()
                    .at("/profiles/0/executors/0/configuration/policy-name").asText()).isEqualTo("ok");
        } finally {
            admin.deleteRealm(name);
        }
    }

    @Test
    void aRealmUpdateCarryingInvalidClientProfilesIsA400AndChangesNothing() {
        ObjectNode realm = realm("update");
        String name = realm.get("realm").asText();
        admin.post("/admin/realms", realm).expect(201);
        try {
            JsonNode profilesBefore = admin.get("/admin/realms/" + name + "/client-policies/profiles").expect(200).json();
            ObjectNode update = (ObjectNode) admin.get("/admin/realms/" + name).expect(200).json();
            withProfile(update, "nhi-issuance-controls", Map.of("max-lifetime", "90 days"));

            AdminApi.Response response = admin.put("/admin/realms/" + name, update);

            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.json().path("errorMessage").asText(response.body())).startsWith(
                    "Invalid nhi-issuance-controls configuration: max-lifetime: '90 days'");
            assertThat(admin.get("/admin/realms/" + name + "/client-policies/profiles").expect(200).json())
                    .isEqualTo(profilesBefore);
        } finally {
            admin.deleteRealm(name);
        }
    }

    @Test
    void aPartialImportIgnoresComponentsAndClientPoliciesSoNothingOfThemIsSaved() {
        ObjectNode realm = realm("partial");
        String name = realm.get("realm").asText();
        admin.post("/admin/realms", realm).expect(201);
        try {
            JsonNode profilesBefore = admin.get("/admin/realms/" + name + "/client-policies/profiles").expect(200).json();
            ObjectNode partial = realm("partial");
            partial.put("ifResourceExists", "SKIP");
            ((ObjectNode) partial.putObject("components")).putArray(TYPE).addPOJO(Map.of(
                    "name", "broken", "providerId", "cel", "config", Map.of("policy", List.of(TYPO))));
            withProfile(partial, "nhi-issuance-controls", Map.of("max-lifetime", "90 days"));

            AdminApi.Response response = admin.post("/admin/realms/" + name + "/partialImport", partial);

            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(admin.get("/admin/realms/" + name + "/components?type=" + TYPE).expect(200).json()).isEmpty();
            assertThat(admin.get("/admin/realms/" + name + "/client-policies/profiles").expect(200).json())
                    .as("the realm's own profiles, untouched").isEqualTo(profilesBefore);
        } finally {
            admin.deleteRealm(name);
        }
    }

    private static ObjectNode realm(String prefix) {
        ObjectNode realm = (ObjectNode) RealmFixture.load("skeleton.json");
        realm.put("realm", prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        realm.put("enabled", true);
        return realm;
    }

    private static void withProfile(ObjectNode realm, String executor, Map<String, Object> configuration) {
        realm.putPOJO("clientProfiles", Map.of("profiles", List.of(Map.of("name", "mintgate",
                "executors", List.of(Map.of("executor", executor, "configuration", configuration))))));
        realm.putPOJO("clientPolicies", Map.of("policies", List.of(Map.of("name", "mintgate", "enabled", true,
                "conditions", List.of(Map.of("condition", "any-client", "configuration", Map.of())),
                "profiles", List.of("mintgate")))));
    }

    private void assertNotCreated(JsonNode realm) {
        assertThat(admin.get("/admin/realms/" + realm.get("realm").asText()).status()).isEqualTo(404);
    }
}
