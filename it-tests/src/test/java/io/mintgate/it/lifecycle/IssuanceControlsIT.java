package io.mintgate.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.TokenResponse;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditTrail;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Identity issuance controls ({@code nhi-issuance-controls}) on every way a client is created or changed: the admin
 * REST API (what the console and kcadm use) and dynamic client registration through both of Keycloak's providers,
 * with an initial access token. Assertions are on the real HTTP answers, the client as Keycloak saved it, and the
 * audit record in the file sink.
 */
@MintgateIT
class IssuanceControlsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private KeycloakRuntime keycloak;
    private AdminApi admin;
    private RealmFixture realm;
    private AuditTrail audit;

    @BeforeAll
    void importRealm(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        this.keycloak = keycloak;
        this.realm = RealmFixture.create(admin, "nhi-controls.json");
        this.audit = new AuditTrail(keycloak);
    }

    @AfterAll
    void dropRealm() {
        realm.close();
    }

    // ------------------------------------------------------------------ admin REST API

    @Test
    void adminCreationWithoutOwnerIsRefusedNamingTheField() {
        ObjectNode client = compliant("no-owner");
        ((ObjectNode) client.get("attributes")).remove("mintgate.owner");
        assertRefused(admin.post(realm.path() + "/clients", client), "attributes.mintgate.owner: required (the user who owns this identity)");
        assertThat(admin.get(realm.path() + "/clients?clientId=" + client.get("clientId").asText()).expect(200).json()).isEmpty();
    }

    @Test
    void adminCreationWithoutPurposeIsRefusedNamingTheField() {
        ObjectNode client = compliant("no-purpose");
        ((ObjectNode) client.get("attributes")).remove("mintgate.purpose");
        assertRefused(admin.post(realm.path() + "/clients", client), "attributes.mintgate.purpose: required (what this identity is for)");
    }

    @Test
    void adminCreationWithAnExpiryBeyondTheMaximumIsRefused() {
        ObjectNode client = compliant("too-long");
        String expiry = Instant.now().plus(120, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        ((ObjectNode) client.get("attributes")).put("mintgate.expires-at", expiry);
        assertRefused(admin.post(realm.path() + "/clients", client),
                "attributes.mintgate.expires-at: " + expiry + " is beyond the maximum lifetime P90D");
    }

    @Test
    void adminCreationWithADisabledOrUnknownOwnerIsRefused() {
        ObjectNode disabled = compliant("owner-disabled");
        ((ObjectNode) disabled.get("attributes")).put("mintgate.owner", "bob");
        assertRefused(admin.post(realm.path() + "/clients", disabled), "attributes.mintgate.owner: user 'bob' is disabled");
        ObjectNode unknown = compliant("owner-unknown");
        ((ObjectNode) unknown.get("attributes")).put("mintgate.owner", "ghost");
        assertRefused(admin.post(realm.path() + "/clients", unknown), "attributes.mintgate.owner: no user 'ghost' in this realm");
    }

    @Test
    void adminCreationTurningOnARefusedGrantIsRefused() {
        ObjectNode client = compliant("implicit");
        client.put("implicitFlowEnabled", true);
        assertRefused(admin.post(realm.path() + "/clients", client), "implicitFlowEnabled: not allowed by the issuance controls");
    }

    @Test
    void compliantAdminCreationSucceedsStripsDisallowedGrantsAndIsAudited() {
        ObjectNode client = compliant("svc-admin");
        client.put("directAccessGrantsEnabled", true);
        client.put("standardFlowEnabled", true);
        client.put("secret", "svc-admin-secret-" + UUID.randomUUID());
        admin.post(realm.path() + "/clients", client).expect(201);

        String uuid = admin.clientUuid(realm.name(), "svc-admin");
        JsonNode saved = admin.get(realm.path() + "/clients/" + uuid).expect(200).json();
        assertThat(saved.get("directAccessGrantsEnabled").asBoolean()).as("password grant stripped").isFalse();
        assertThat(saved.get("standardFlowEnabled").asBoolean()).as("standard flow stripped on a service account").isFalse();
        assertThat(saved.get("serviceAccountsEnabled").asBoolean()).isTrue();
        assertThat(saved.at("/attributes/mintgate.owner").asText()).as("typed as a username, saved as the user id")
                .isEqualTo(alice());

        JsonNode record = audit.await("admin CREATE of svc-admin", r -> isRealm(r)
                && "io.mintgate.nhi.changed".equals(r.path("type").asText())
                && "svc-admin".equals(r.at("/data/clientId").asText())
                && "CREATE".equals(r.at("/data/resource/operation").asText())
                && "CLIENT".equals(r.at("/data/resource/type").asText()));
        assertThat(record.at("/data/keycloakEventType").asText()).isEqualTo("ADMIN_CREATE");
        assertThat(record.at("/data/nhi/owner").asText()).isEqualTo(alice());
        assertThat(record.at("/data/nhi/purpose").asText()).isEqualTo("deploys acme/app");
        assertThat(record.at("/data/nhi/expiresAt").asText()).isEqualTo(client.at("/attributes/mintgate.expires-at").asText());
        assertThat(record.at("/data/actor/clientId").asText()).as("the admin client, by internal id")
                .isEqualTo(admin.clientUuid("master", keycloak.adminClientId()));
        assertThat(record.toString()).doesNotContain(client.get("secret").asText());
    }

    @Test
    void adminUpdateThatRemovesTheOwnerIsRefusedAndLeavesTheClientAsItWas() {
        admin.post(realm.path() + "/clients", compliant("svc-update")).expect(201);
        String uuid = admin.clientUuid(realm.name(), "svc-update");
        ObjectNode rep = (ObjectNode) admin.get(realm.path() + "/clients/" + uuid).expect(200).json();
        ((ObjectNode) rep.get("attributes")).put("mintgate.owner", "");
        assertRefused(admin.put(realm.path() + "/clients/" + uuid, rep), "attributes.mintgate.owner: required");
        assertThat(admin.get(realm.path() + "/clients/" + uuid).expect(200).json().at("/attributes/mintgate.owner").asText())
                .isEqualTo(alice());

        // A change that does not touch the owner goes through and is audited with the facts as saved.
        ObjectNode described = (ObjectNode) admin.get(realm.path() + "/clients/" + uuid).expect(200).json();
        described.put("description", "now with a description");
        admin.put(realm.path() + "/clients/" + uuid, described).expect(204);
        JsonNode record = audit.await("admin UPDATE of svc-update", r -> isRealm(r)
                && "svc-update".equals(r.at("/data/clientId").asText())
                && "UPDATE".equals(r.at("/data/resource/operation").asText()));
        assertThat(record.at("/data/nhi/owner").asText()).isEqualTo(alice());
    }

    @Test
    void typingTheUsernameOfTheCurrentOwnerIsNoChangeEvenOnceTheyAreDisabled() {
        admin.post(realm.path() + "/users", java.util.Map.of("username", "frank", "enabled", true)).expect(201);
        String frank = admin.userId(realm.name(), "frank");
        ObjectNode client = compliant("svc-frank");
        ((ObjectNode) client.get("attributes")).put("mintgate.owner", "frank");
        admin.post(realm.path() + "/clients", client).expect(201);
        String uuid = admin.clientUuid(realm.name(), "svc-frank");

        JsonNode user = admin.get(realm.path() + "/users/" + frank).expect(200).json();
        ((ObjectNode) user).put("enabled", false);
        admin.put(realm.path() + "/users/" + frank, user).expect(204);

        // Offboarding must stay possible: the owner typed again by name is the same person, not a new (disabled) owner.
        ObjectNode rep = (ObjectNode) admin.get(realm.path() + "/clients/" + uuid).expect(200).json();
        rep.put("enabled", false);
        ((ObjectNode) rep.get("attributes")).put("mintgate.owner", "frank");
        admin.put(realm.path() + "/clients/" + uuid, rep).expect(204);
        JsonNode saved = admin.get(realm.path() + "/clients/" + uuid).expect(200).json();
        assertThat(saved.path("enabled").asBoolean()).isFalse();
        assertThat(saved.at("/attributes/mintgate.owner").asText()).isEqualTo(frank);
    }

    // ------------------------------------------------------------------ dynamic client registration

    @Test
    void registrationWithoutOwnerOrWithADisabledOwnerOrTooLongAnExpiryIsRefusedPerRfc7591() throws Exception {
        ObjectNode noOwner = compliant("dcr-no-owner");
        ((ObjectNode) noOwner.get("attributes")).remove("mintgate.owner");
        assertRegistrationRefused(register("default", noOwner), "attributes.mintgate.owner: required");

        ObjectNode disabled = compliant("dcr-owner-disabled");
        ((ObjectNode) disabled.get("attributes")).put("mintgate.owner", "bob");
        assertRegistrationRefused(register("default", disabled), "attributes.mintgate.owner: user 'bob' is disabled");

        ObjectNode tooLong = compliant("dcr-too-long");
        ((ObjectNode) tooLong.get("attributes")).put("mintgate.expires-at", "2099-01-01T00:00:00Z");
        assertRegistrationRefused(register("default", tooLong),
                "attributes.mintgate.expires-at: 2099-01-01T00:00:00Z is beyond the maximum lifetime P90D");

        ObjectNode noPurpose = compliant("dcr-no-purpose");
        ((ObjectNode) noPurpose.get("attributes")).remove("mintgate.purpose");
        assertRegistrationRefused(register("default", noPurpose), "attributes.mintgate.purpose: required");

        assertThat(admin.get(realm.path() + "/clients?clientId=dcr-no-owner").expect(200).json()).isEmpty();
        JsonNode refusal = audit.await("CLIENT_REGISTER_ERROR of dcr-too-long", r -> isRealm(r)
                && "CLIENT_REGISTER_ERROR".equals(r.at("/data/keycloakEventType").asText())
                && r.at("/data/details/client_policy_error_detail").asText().contains("2099-01-01T00:00:00Z"));
        assertThat(refusal.path("type").asText()).isEqualTo("io.mintgate.nhi.changed");
        assertThat(refusal.at("/data/error").asText()).isEqualTo("invalid_client_metadata");
        assertThat(refusal.at("/data/clientId").asText()).isEqualTo("dcr-too-long");
    }

    @Test
    void openIdConnectRegistrationCannotCarryAnOwnerAndIsRefusedWithWhereTo() throws Exception {
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("client_name", "rfc7591-agent");
        metadata.putArray("grant_types").add("client_credentials");
        metadata.put("token_endpoint_auth_method", "client_secret_basic");
        HttpResponse<String> response = register("openid-connect", metadata);
        assertRegistrationRefused(response, "attributes.mintgate.owner: required (the user who owns this identity)");
        assertThat(JSON.readTree(response.body()).get("error_description").asText())
                .contains("register through /clients-registrations/default");
    }

    @Test
    void compliantRegistrationSucceedsStripsThePasswordGrantAndIsAuditedWithoutSecrets() throws Exception {
        ObjectNode client = compliant("dcr-svc");
        client.put("directAccessGrantsEnabled", true);
        HttpResponse<String> response = register("default", client);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode created = JSON.readTree(response.body());
        assertThat(created.get("directAccessGrantsEnabled").asBoolean()).isFalse();
        String secret = created.get("secret").asText();
        String registrationToken = created.get("registrationAccessToken").asText();
        assertThat(secret).isNotBlank();
        assertThat(registrationToken).isNotBlank();

        String uuid = admin.clientUuid(realm.name(), "dcr-svc");
        JsonNode saved = admin.get(realm.path() + "/clients/" + uuid).expect(200).json();
        assertThat(saved.get("directAccessGrantsEnabled").asBoolean()).as("stripped before save").isFalse();
        assertThat(saved.at("/attributes/mintgate.owner").asText()).isEqualTo(alice());
        assertThat(created.at("/attributes/mintgate.owner").asText()).as("the registration response").isEqualTo(alice());

        JsonNode record = audit.await("CLIENT_REGISTER of dcr-svc", r -> isRealm(r)
                && "CLIENT_REGISTER".equals(r.at("/data/keycloakEventType").asText())
                && "dcr-svc".equals(r.at("/data/clientId").asText()));
        assertThat(record.path("type").asText()).isEqualTo("io.mintgate.nhi.changed");
        assertThat(record.at("/data/resource/operation").asText()).isEqualTo("CREATE");
        assertThat(record.at("/data/nhi/owner").asText()).isEqualTo(alice());
        assertThat(record.at("/data/nhi/purpose").asText()).isEqualTo("deploys acme/app");
        assertThat(record.toString()).doesNotContain(secret).doesNotContain(registrationToken);

        // An update through the registration endpoint that removes the owner is refused the same way.
        ObjectNode update = (ObjectNode) created.deepCopy();
        update.remove("registrationAccessToken");
        ((ObjectNode) update.get("attributes")).put("mintgate.owner", "");
        HttpResponse<String> refused = send("PUT", "/realms/" + realm.name() + "/clients-registrations/default/dcr-svc",
                registrationToken, update);
        assertRegistrationRefused(refused, "attributes.mintgate.owner: required");
        assertThat(admin.get(realm.path() + "/clients/" + uuid).expect(200).json().at("/attributes/mintgate.owner").asText())
                .isEqualTo(alice());
    }

    @Test
    void openIdConnectRegistrationCarryingMintgateMembersIsRefusedPerRfc7591WithWhereTo() throws Exception {
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("client_name", "rfc7591-owned-agent");
        metadata.putArray("grant_types").add("client_credentials");
        metadata.put("mintgate.owner", "alice");
        metadata.putObject("attributes").put("mintgate.purpose", "deploys acme/app");
        HttpResponse<String> response = register("openid-connect", metadata);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid_client_metadata");
        String where = "Mintgate attributes are not RFC 7591 client metadata: register through"
                + " /clients-registrations/default with a client representation whose attributes have them";
        assertThat(body.get("error_description").asText())
                .isEqualTo("mintgate.owner: " + where + "; attributes.mintgate.purpose: " + where);
        JsonNode refusal = audit.await("CLIENT_REGISTER_ERROR for mintgate metadata", r -> isRealm(r)
                && "CLIENT_REGISTER_ERROR".equals(r.at("/data/keycloakEventType").asText())
                && r.at("/data/details/client_policy_error_detail").asText().startsWith("mintgate.owner: "));
        assertThat(refusal.at("/data/error").asText()).isEqualTo("invalid_client_metadata");

        // Other members Keycloak does not know are still Keycloak's business, answered as before.
        ObjectNode unknown = JSON.createObjectNode();
        unknown.put("client_name", "rfc7591-other");
        unknown.put("x-vendor-extension", "1");
        HttpResponse<String> other = register("openid-connect", unknown);
        assertThat(other.statusCode()).as(other.body()).isEqualTo(400);
        assertThat(JSON.readTree(other.body()).path("error").asText()).startsWith(
                "Invalid json representation for OIDCClientRepresentation. Unrecognized field \"x-vendor-extension\" at line 1");
    }

    // ------------------------------------------------------------------ service-account roles, configuration

    @Test
    void aServiceAccountHoldingARoleOutsideTheAllowListGetsNoToken() {
        OidcClient oidc = new OidcClient(keycloak, realm.name());
        String serviceAccount = admin.userId(realm.name(), "service-account-legacy-ci");
        String roleMappings = realm.path() + "/users/" + serviceAccount + "/role-mappings/realm";
        admin.post(roleMappings, List.of(role("deployer"))).expect(204);
        assertThat(oidc.clientCredentials("legacy-ci", "legacy-ci-secret", null).indicatesSuccess()).isTrue();

        admin.post(roleMappings, List.of(role("realm-operator"))).expect(204);
        TokenResponse refused = oidc.clientCredentials("legacy-ci", "legacy-ci-secret", null);
        assertThat(refused.indicatesSuccess()).isFalse();
        ErrorObject error = refused.toErrorResponse().getErrorObject();
        assertThat(error.getHTTPStatusCode()).isEqualTo(400);
        assertThat(error.getCode()).isEqualTo("access_denied");
        assertThat(error.getDescription()).contains("outside the allowed service-account roles: realm-operator");

        admin.send("DELETE", roleMappings, List.of(role("realm-operator"))).expect(204);
        assertThat(oidc.clientCredentials("legacy-ci", "legacy-ci-secret", null).indicatesSuccess()).isTrue();
    }

    @Test
    void aMaximumLifetimeThatIsNotADurationIsRejectedWhenTheProfileIsSaved() {
        JsonNode profiles = admin.get(realm.path() + "/client-policies/profiles").expect(200).json();
        ObjectNode broken = profiles.deepCopy();
        ((ObjectNode) broken.at("/profiles/0/executors/0/configuration")).put("max-lifetime", "90 days");
        AdminApi.Response response = admin.put(realm.path() + "/client-policies/profiles", broken);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("max-lifetime: '90 days' is not an ISO-8601 duration");
        assertThat(admin.get(realm.path() + "/client-policies/profiles").expect(200).json()
                .at("/profiles/0/executors/0/configuration/max-lifetime").asText()).isEqualTo("P90D");
    }

    // ------------------------------------------------------------------ helpers

    private ObjectNode compliant(String clientId) {
        ObjectNode client = JSON.createObjectNode();
        client.put("clientId", clientId);
        client.put("enabled", true);
        client.put("publicClient", false);
        client.put("serviceAccountsEnabled", true);
        client.put("standardFlowEnabled", false);
        ObjectNode attributes = client.putObject("attributes");
        attributes.put("mintgate.owner", "alice");
        attributes.put("mintgate.purpose", "deploys acme/app");
        attributes.put("mintgate.expires-at", Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        return client;
    }

    private String alice() {
        return admin.userId(realm.name(), "alice");
    }

    private JsonNode role(String name) {
        return admin.get(realm.path() + "/roles/" + name).expect(200).json();
    }

    private boolean isRealm(JsonNode record) {
        return ("/realms/" + realm.name()).equals(record.path("source").asText());
    }

    private static void assertRefused(AdminApi.Response response, String description) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode body = response.json();
        assertThat(body.get("error").asText()).isEqualTo("invalid_client_metadata");
        assertThat(body.get("error_description").asText()).startsWith(description);
    }

    private static void assertRegistrationRefused(HttpResponse<String> response, String description) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid_client_metadata");
        assertThat(body.get("error_description").asText()).startsWith(description);
    }

    /** A registration with a fresh single-use initial access token, as an onboarding pipeline would do it. */
    private HttpResponse<String> register(String provider, JsonNode body) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("count", 1);
        request.put("expiration", 300);
        AdminApi.Response created = admin.post(realm.path() + "/clients-initial-access", request);
        assertThat(created.status()).as(created.body()).isBetween(200, 201);
        String initialAccessToken = created.json().get("token").asText();
        return send("POST", "/realms/" + realm.name() + "/clients-registrations/" + provider, initialAccessToken, body);
    }

    private HttpResponse<String> send(String method, String path, String bearer, JsonNode body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.baseUri() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
