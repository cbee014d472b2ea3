package io.mintgate.it.surface;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The issuance-surface inventory, {@code GET /admin/realms/{realm}/mintgate/surface}, on a realm whose clients open
 * each kind of grant path and whose client policies cover some of them: every path, its coverage and the posture
 * findings, and how a changed client or a new policy changes the report.
 */
@MintgateIT
class IssuanceSurfaceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The clients of surface.json (the realm's built-in clients are in the report too). */
    private static final List<String> CLIENTS = List.of("svc", "web", "backend", "api", "sa-no-owner", "tv", "wallet");

    private AdminApi admin;
    private RealmFixture realm;

    @BeforeAll
    void setUp(AdminApi admin) {
        this.admin = admin;
        realm = RealmFixture.create(admin, "surface.json");
    }

    @AfterAll
    void tearDown() {
        realm.close();
    }

    @Test
    void everyClientsGrantPathsTheirCoverageAndFindings() {
        JsonNode report = surface("");
        assertThat(report.path("realm").asText()).isEqualTo(realm.name());

        JsonNode svc = client(report, "svc");
        assertThat(paths(svc)).containsExactly(Map.entry("client_credentials", "covered"));
        assertThat(svc.path("paths").path(0).path("policies").path(0).path("clientPolicy").asText()).isEqualTo("ci-runners");
        assertThat(findingIds(svc)).isEmpty();

        JsonNode web = client(report, "web");
        assertThat(paths(web)).containsExactly(Map.entry("authorization_code", "uncovered"),
                Map.entry("implicit", "uncovered"), Map.entry("hybrid", "uncovered"), Map.entry("par", "uncovered"),
                Map.entry("password", "uncovered"), Map.entry("refresh_token", "uncovered"),
                Map.entry("offline_access", "uncovered"));
        assertThat(findingIds(web)).containsExactly("refresh-not-sender-constrained", "implicit-grant", "password-grant",
                "wildcard-redirect-uri", "full-scope-allowed");
        assertThat(finding(web, "refresh-not-sender-constrained").path("severity").asText()).isEqualTo("high");
        assertThat(finding(web, "wildcard-redirect-uri").path("message").asText()).contains("https://app.example/*")
                .doesNotContain("https://app.example/cb");

        JsonNode backend = client(report, "backend");
        assertThat(paths(backend)).containsExactly(Map.entry("refresh_token", "conditional"),
                Map.entry("offline_access", "conditional"), Map.entry("ciba", "conditional"),
                Map.entry("token_exchange", "conditional"), Map.entry("jwt_authorization_grant", "conditional"));
        JsonNode jwtGrant = backend.path("paths").path(4);
        assertThat(jwtGrant.path("identityProviders").get(0).asText()).isEqualTo("partner-idp");
        assertThat(jwtGrant.path("policies").path(0).path("clientPolicy").asText()).isEqualTo("backend-by-context");
        assertThat(jwtGrant.path("policies").path(0).path("always").asBoolean(true)).isFalse();
        assertThat(findingIds(backend)).containsExactly("refresh-not-sender-constrained", "long-access-token-lifetime",
                "full-scope-allowed");
        assertThat(finding(backend, "refresh-not-sender-constrained").path("severity").asText()).isEqualTo("low");

        assertThat(paths(client(report, "api"))).isEmpty();
        JsonNode orphan = client(report, "sa-no-owner");
        assertThat(paths(orphan)).containsExactly(Map.entry("client_credentials", "uncovered"));
        assertThat(findingIds(orphan)).containsExactly("service-account-without-owner", "service-account-without-expiry");

        JsonNode tv = client(report, "tv");
        // the realm's "refreshes" policy has only a grant-type condition, which abstains where refreshes are decided
        assertThat(paths(tv)).containsExactly(Map.entry("refresh_token", "uncovered"),
                Map.entry("offline_access", "uncovered"), Map.entry("device_code", "uncovered"));
        // OID4VCI fires no client-policy event: Mintgate applies every enabled policy without an issuance-context condition
        JsonNode wallet = client(report, "wallet");
        assertThat(paths(wallet)).containsExactly(Map.entry("oid4vci", "covered"));
        assertThat(wallet.path("paths").path(0).path("policies").findValuesAsText("clientPolicy"))
                .containsExactly("ci-runners", "refreshes", "backend-by-context");

        long uncovered = 0;
        for (String id : CLIENTS) {
            uncovered += paths(client(report, id)).values().stream().filter("uncovered"::equals).count();
        }
        assertThat(uncovered).isEqualTo(11);
        assertThat(report.path("summary").path("uncoveredPaths").asLong()).isGreaterThanOrEqualTo(uncovered);
    }

    @Test
    void filtersSelectClientsAndABadFilterIsA400NamingTheAcceptedValues() {
        assertThat(clientIds(surface("?uncovered=true"))).containsExactlyInAnyOrder("web", "sa-no-owner", "tv");
        assertThat(clientIds(surface("?path=jwt_authorization_grant"))).containsExactly("backend");
        assertThat(clientIds(surface("?finding=password-grant"))).containsExactly("web");
        assertThat(findingIds(client(surface("?client=backend&maxAccessTokenLifetime=10000"), "backend")))
                .doesNotContain("long-access-token-lifetime");
        assertThat(admin.get(realm.path() + "/mintgate/surface/svc").expect(200).json().path("clientId").asText())
                .isEqualTo("svc");
        assertThat(admin.get(realm.path() + "/mintgate/surface/nobody").status()).isEqualTo(404);

        AdminApi.Response bad = admin.get(realm.path() + "/mintgate/surface?path=implicit_grant");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("unknown grant path 'implicit_grant'", "client_credentials");
    }

    @Test
    void turningOnAGrantOrAddingAPolicyChangesTheReport() throws Exception {
        // its own copy of the realm: the other tests read the imported one
        try (RealmFixture changing = RealmFixture.create(admin, "surface.json")) {
            JsonNode client = admin.get(changing.path() + "/clients?clientId=sa-no-owner").expect(200).json().get(0);
            admin.put(changing.path() + "/clients/" + client.path("id").asText(),
                    ((ObjectNode) client).put("directAccessGrantsEnabled", true)).expect(204);
            JsonNode orphan = client(surface(changing, "?client=sa-no-owner"), "sa-no-owner");
            assertThat(paths(orphan)).containsEntry("password", "uncovered").containsEntry("refresh_token", "uncovered");
            assertThat(findingIds(orphan)).contains("password-grant", "refresh-not-sender-constrained");

            // a resource server in the realm opens the UMA grant to every client; UMA fires no client-policy event,
            // so every enabled policy without an issuance-context condition decides it (as for OID4VCI)
            JsonNode backend = admin.get(changing.path() + "/clients?clientId=backend").expect(200).json().get(0);
            admin.put(changing.path() + "/clients/" + backend.path("id").asText(),
                    ((ObjectNode) backend).put("serviceAccountsEnabled", true).put("authorizationServicesEnabled", true))
                    .expect(204);
            assertThat(paths(client(surface(changing, "?client=web"), "web"))).containsEntry("uma", "covered");

            JsonNode policies = admin.get(changing.path() + "/client-policies/policies").expect(200).json();
            ((ArrayNode) policies.path("policies")).add(JSON.readTree("""
                    {"name": "everyone", "enabled": true, "conditions": [{"condition": "any-client", "configuration": {}}],
                     "profiles": ["mintgate"]}"""));
            admin.put(changing.path() + "/client-policies/policies", policies).expect(204);

            JsonNode after = surface(changing, "");
            assertThat(after.path("summary").path("uncoveredPaths").asLong()).isZero();
            assertThat(paths(client(after, "web"))).containsEntry("implicit", "covered");
            assertThat(paths(client(after, "tv"))).containsEntry("device_code", "covered");
        }
    }

    private JsonNode surface(String query) {
        return surface(realm, query);
    }

    private JsonNode surface(RealmFixture in, String query) {
        return admin.get(in.path() + "/mintgate/surface" + query).expect(200).json();
    }

    private static JsonNode client(JsonNode report, String clientId) {
        for (JsonNode c : report.path("clients")) {
            if (c.path("clientId").asText().equals(clientId)) {
                return c;
            }
        }
        throw new AssertionError("no client " + clientId + " in " + report);
    }

    private static List<String> clientIds(JsonNode report) {
        List<String> ids = new ArrayList<>();
        report.path("clients").forEach(c -> ids.add(c.path("clientId").asText()));
        ids.removeIf(id -> !CLIENTS.contains(id));
        return ids;
    }

    private static Map<String, String> paths(JsonNode client) {
        Map<String, String> paths = new LinkedHashMap<>();
        client.path("paths").forEach(p -> paths.put(p.path("path").asText(), p.path("coverage").asText()));
        return paths;
    }

    private static List<String> findingIds(JsonNode client) {
        List<String> ids = new ArrayList<>();
        client.path("findings").forEach(f -> ids.add(f.path("id").asText()));
        return ids;
    }

    private static JsonNode finding(JsonNode client, String id) {
        for (JsonNode f : client.path("findings")) {
            if (f.path("id").asText().equals(id)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + id + " in " + client);
    }
}
