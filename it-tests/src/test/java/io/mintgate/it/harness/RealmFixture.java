package io.mintgate.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A realm created for one test class from a JSON representation under {@code src/test/resources/realms/}, with a
 * unique name so classes never see each other's clients, policies or events.
 */
public final class RealmFixture implements AutoCloseable {

    private final AdminApi admin;
    private final String resource;
    private final String name;

    private RealmFixture(AdminApi admin, String resource, String name) {
        this.admin = admin;
        this.resource = resource;
        this.name = name;
    }

    public static RealmFixture create(AdminApi admin, String resource) {
        String name = load(resource).get("realm").asText() + "-" + UUID.randomUUID().toString().substring(0, 8);
        createNamed(admin, resource, name);
        return new RealmFixture(admin, resource, name);
    }

    /**
     * Deletes the realm and creates it again from the same representation under the same name: what an admin who
     * drops and re-imports a realm gets, a new realm (Keycloak gives it a new id) that only shares the old one's name.
     */
    public void recreate() {
        admin.deleteRealm(name);
        createNamed(admin, resource, name);
    }

    private static void createNamed(AdminApi admin, String resource, String name) {
        ObjectNode realm = (ObjectNode) load(resource);
        realm.put("realm", name);
        admin.createRealm(realm);
        allowUnmanagedAttributes(admin, name);
    }

    /** Keycloak's internal id of the realm (not its name). */
    public String id() {
        return admin.get(path()).expect(200).json().get("id").asText();
    }

    /**
     * Keycloak 26's user profile silently drops attributes it does not declare when a user is updated through the
     * admin API; tests (and NHI owners) use free-form attributes, so the realm admits them as an admin would.
     */
    private static void allowUnmanagedAttributes(AdminApi admin, String realm) {
        ObjectNode profile = (ObjectNode) admin.get("/admin/realms/" + realm + "/users/profile").expect(200).json();
        profile.put("unmanagedAttributePolicy", "ENABLED");
        admin.put("/admin/realms/" + realm + "/users/profile", profile).expect(200);
    }

    public static JsonNode load(String resource) {
        try (InputStream in = RealmFixture.class.getResourceAsStream("/realms/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource realms/" + resource);
            }
            return AdminApi.MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What an admin does to put Mintgate in front of every client of the realm: one client profile with one
     * {@code issuance-authorizer} executor per policy (in order), and one client policy ({@code any-client}) applying it.
     */
    public void applyIssuancePolicies(String profile, String... policies) {
        List<Map<String, Object>> executors = new ArrayList<>();
        for (String policy : policies) {
            executors.add(Map.of("executor", "issuance-authorizer", "configuration", Map.of("policy", policy)));
        }
        admin.put(path() + "/client-policies/profiles", Map.of("profiles", List.of(
                Map.of("name", profile, "executors", executors)))).expect(204);
        admin.put(path() + "/client-policies/policies", Map.of("policies", List.of(Map.of(
                "name", profile, "enabled", true,
                "conditions", List.of(Map.of("condition", "any-client", "configuration", Map.of())),
                "profiles", List.of(profile))))).expect(204);
    }

    /** Creates a client scope whose name appears in the token's {@code scope}; returns its id. */
    public String createClientScope(String scopeName, List<Map<String, Object>> mappers) {
        admin.post(path() + "/client-scopes", Map.of("name", scopeName, "protocol", "openid-connect",
                "attributes", Map.of("include.in.token.scope", "true"), "protocolMappers", mappers)).expect(201);
        return admin.get(path() + "/client-scopes").json().findParents("name").stream()
                .filter(n -> scopeName.equals(n.path("name").asText())).findFirst().orElseThrow().path("id").asText();
    }

    /** Keycloak's audience mapper adding {@code audience} to access tokens (not to ID tokens). */
    public static Map<String, Object> audienceMapper(String audience) {
        return Map.of("name", "aud-" + audience, "protocol", "openid-connect", "protocolMapper", "oidc-audience-mapper",
                "config", Map.of("included.client.audience", audience, "access.token.claim", "true",
                        "id.token.claim", "false"));
    }

    /** Attaches a client scope to a client as a {@code default} or {@code optional} scope. */
    public void attachClientScope(String clientId, String scopeId, String kind) {
        admin.put(path() + "/clients/" + admin.clientUuid(name, clientId) + "/" + kind
                + "-client-scopes/" + scopeId, null).expect(204);
    }

    public String name() {
        return name;
    }

    public String path() {
        return "/admin/realms/" + name;
    }

    @Override
    public void close() {
        admin.deleteRealm(name);
    }
}
