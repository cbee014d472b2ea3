package io.mintgate.it.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditTrail;
import io.mintgate.it.harness.BrowserLogin;
import io.mintgate.it.harness.DeviceAuthorization;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Refusals at the requests that start a flow, before anyone logs in: PAR (RFC 9126), the authorization endpoint and
 * the device authorization request (RFC 8628). The realm's policy (realms/front-channel.json) refuses the
 * {@code address} scope to clients not approved for it and refuses flagged clients (client-only facts: decided at
 * the front channel), watches the {@code phone} scope in shadow mode, and refuses any token without an unflagged
 * subject (a subject rule: never run before login, decided at token time).
 */
@MintgateIT
class FrontChannelIT {

    private static final URI REDIRECT = URI.create("http://127.0.0.1/cb");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DECISION = Pattern.compile("\\(reason: ([a-z_]+), decision: ([0-9a-f-]{36})\\)$");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private AdminApi admin;
    private KeycloakRuntime keycloak;
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void importRealm(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        this.keycloak = keycloak;
        realm = RealmFixture.create(admin, "front-channel.json");
        oidc = new OidcClient(keycloak, realm.name());
    }

    @AfterAll
    void dropRealm() {
        realm.close();
    }

    // PAR

    @Test
    void parIsRefusedWith400BeforeARequestUriIsIssuedWhenAClientOnlyRuleDenies() throws Exception {
        HttpResponse<String> response = par("web", "openid phone address");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.has("request_uri")).isFalse();
        assertThat(body.path("error").asText()).isEqualTo("access_denied");
        String description = body.path("error_description").asText();
        assertThat(description).startsWith("the address scope is not approved for this client")
                .doesNotContain("client.attributes", "grant.scopes", "address-scope-not-approved");
        String decisionId = decisionId(description, "scope_not_approved");

        // Keycloak's *_ERROR event carries the refusal; its listeners (the audit listener) also see the decision.
        JsonNode event = awaitEvent("PUSHED_AUTHORIZATION_REQUEST_ERROR", decisionId);
        assertThat(event.path("clientId").asText()).isEqualTo("web");
        assertThat(event.path("error").asText()).isEqualTo("access_denied");
        assertThat(event.at("/details/reason").asText()).isEqualTo("client_policy_error");
        assertStoredDecision(event, "address-scope-not-approved", "scope_not_approved");
        assertThat(event.at("/details/mintgate_shadow_denials").asText()).isEqualTo("phone-watch:phone_requested");

        JsonNode record = awaitAuditRecord(decisionId);
        assertThat(record.at("/type").asText()).isEqualTo("io.mintgate.token.denied");
        assertThat(record.at("/data/keycloakEventType").asText()).isEqualTo("PUSHED_AUTHORIZATION_REQUEST_ERROR");
        assertThat(record.at("/data/clientId").asText()).isEqualTo("web");
        assertThat(record.at("/data/error").asText()).isEqualTo("access_denied");
        assertThat(record.at("/data/decision/outcome").asText()).isEqualTo("deny");
        assertThat(record.at("/data/decision/rule").asText()).isEqualTo("address-scope-not-approved");
        assertThat(record.at("/data/decision/reason").asText()).isEqualTo("scope_not_approved");
        assertThat(record.at("/data/decision/mode").asText()).isEqualTo("enforce");
        // The shadow rule ran before the refusing one and reports its would-be denial with it.
        assertThat(record.at("/data/decision/shadowDenials/0").asText()).isEqualTo("phone-watch:phone_requested");
        // Keycloak's ParEndpoint reports a client-policy refusal twice (its catch block and errorResponseException):
        // every record of this decision is that same refusal.
        assertThat(new AuditTrail(keycloak).records()).filteredOn(r -> decisionId.equals(r.at("/data/decision/id").asText()))
                .allSatisfy(r -> assertThat(r.at("/data/keycloakEventType").asText())
                        .isEqualTo("PUSHED_AUTHORIZATION_REQUEST_ERROR"));
    }

    @Test
    void anAllowedPushedRequestCompletesToATokenWithTheRequestedScope() throws Exception {
        String requestUri = pushed("web-approved", "openid address");

        JWTClaimsSet claims = minted(codeFlowWithRequestUri("web-approved", requestUri, "alice"));
        assertThat(claims.getClaim("azp")).isEqualTo("web-approved");
        assertThat(claims.getClaim("preferred_username")).isEqualTo("alice");
        assertThat(claims.getStringClaim("scope").split(" ")).contains("address", "openid");
    }

    /**
     * The subject rule denies whenever no subject is present, so had it run at PAR it would have refused every
     * request. It is not run there; after login it decides: alice gets a token, mallory is refused.
     */
    @Test
    void aRuleThatReadsTheSubjectDoesNotRefuseAtParAndDecidesAtTokenTime() throws Exception {
        String forAlice = pushed("web", "openid");
        assertThat(minted(codeFlowWithRequestUri("web", forAlice, "alice")).getClaim("preferred_username"))
                .isEqualTo("alice");

        String forMallory = pushed("web", "openid");
        TokenResponse refused = codeFlowWithRequestUri("web", forMallory, "mallory");
        assertThat(refused.indicatesSuccess()).isFalse();
        ErrorObject error = refused.toErrorResponse().getErrorObject();
        assertThat(error.getCode()).isEqualTo("access_denied");
        decisionId(error.getDescription(), "subject_flagged");
    }

    // authorization endpoint

    /**
     * Keycloak answers a client-policy refusal at AUTHORIZATION_REQUEST with an error redirect to the client
     * (AuthorizationEndpoint#redirectErrorToClient), before any login page: error=access_denied and Mintgate's
     * description.
     */
    @Test
    void theAuthorizationEndpointRedirectsTheRefusalToTheClientBeforeAnyLogin() {
        URI authorize = URI.create(oidc.realmUri() + "/protocol/openid-connect/auth?client_id=web&response_type=code"
                + "&scope=" + encode("openid address") + "&state=s-1&redirect_uri=" + REDIRECT);
        BrowserLogin browser = new BrowserLogin(keycloak);
        BrowserLogin.Result result = browser.open(authorize, "alice", "alice-password");

        assertThat(result.location()).as("redirect to the client (page: %s)", result.page()).isNotNull();
        assertThat(result.location().toString()).startsWith(REDIRECT.toString());
        assertThat(result.param("code")).isNull();
        assertThat(result.param("error")).isEqualTo("access_denied");
        assertThat(result.param("state")).isEqualTo("s-1");
        String decisionId = decisionId(result.param("error_description"), "scope_not_approved");
        // No login happened: the browser holds no SSO session.
        assertThat(browser.cookies()).doesNotContainKeys("KEYCLOAK_IDENTITY", "KEYCLOAK_SESSION");

        JsonNode event = awaitEvent("LOGIN_ERROR", decisionId);
        assertThat(event.path("clientId").asText()).isEqualTo("web");
        assertThat(event.path("error").asText()).isEqualTo("access_denied");
        assertStoredDecision(event, "address-scope-not-approved", "scope_not_approved");
        JsonNode record = awaitAuditRecord(decisionId);
        assertThat(record.at("/data/decision/reason").asText()).isEqualTo("scope_not_approved");
        assertThat(record.at("/type").asText()).isEqualTo("io.mintgate.token.denied");
        assertThat(record.at("/data/keycloakEventType").asText()).isEqualTo("LOGIN_ERROR");
        assertThat(record.at("/data/grantType").asText()).isEqualTo("authorization_code");
    }

    @Test
    void theAuthorizationEndpointLetsAnApprovedClientThroughToLogin() {
        URI authorize = URI.create(oidc.realmUri() + "/protocol/openid-connect/auth?client_id=web-approved"
                + "&response_type=code&scope=" + encode("openid address") + "&redirect_uri=" + REDIRECT);
        BrowserLogin.Result result = new BrowserLogin(keycloak).open(authorize, "alice", "alice-password");
        String code = result.param("code");
        assertThat(code).as("authorization code in %s", result.location()).isNotNull();
        minted(oidc.token(new AuthorizationCodeGrant(new AuthorizationCode(code), REDIRECT), auth("web-approved"), null));
    }

    // device authorization request

    @Test
    void theDeviceAuthorizationRequestOfAFlaggedClientIsRefusedWith400() throws Exception {
        HttpResponse<String> response = post(oidc.realmUri() + "/protocol/openid-connect/auth/device", "tv-flagged",
                Map.of("scope", "openid"));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.has("device_code")).isFalse();
        assertThat(body.path("error").asText()).isEqualTo("access_denied");
        String decisionId = decisionId(body.path("error_description").asText(), "client_flagged");

        JsonNode event = awaitEvent("OAUTH2_DEVICE_AUTH_ERROR", decisionId);
        assertThat(event.path("clientId").asText()).isEqualTo("tv-flagged");
        assertThat(event.path("error").asText()).isEqualTo("access_denied");
        assertStoredDecision(event, "flagged-clients", "client_flagged");
        JsonNode record = awaitAuditRecord(decisionId);
        assertThat(record.at("/type").asText()).isEqualTo("io.mintgate.token.denied");
        assertThat(record.at("/data/keycloakEventType").asText()).isEqualTo("OAUTH2_DEVICE_AUTH_ERROR");
        assertThat(record.at("/data/decision/rule").asText()).isEqualTo("flagged-clients");
    }

    @Test
    void theDeviceAuthorizationRequestOfAnUnflaggedClientGetsADeviceCode() {
        assertThat(new DeviceAuthorization(keycloak, oidc).authorize(auth("tv"), "openid").getDeviceCode().getValue())
                .isNotBlank();
    }

    // helpers

    private HttpResponse<String> par(String clientId, String scope) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("response_type", "code");
        form.put("scope", scope);
        form.put("redirect_uri", REDIRECT.toString());
        form.put("state", "s-par");
        return post(oidc.realmUri() + "/protocol/openid-connect/ext/par/request", clientId, form);
    }

    private String pushed(String clientId, String scope) throws Exception {
        HttpResponse<String> response = par(clientId, scope);
        assertThat(response.statusCode()).as("PAR response %s", response.body()).isEqualTo(201);
        String requestUri = JSON.readTree(response.body()).path("request_uri").asText();
        assertThat(requestUri).startsWith("urn:ietf:params:oauth:request_uri:");
        return requestUri;
    }

    private TokenResponse codeFlowWithRequestUri(String clientId, String requestUri, String username) {
        URI authorize = URI.create(oidc.realmUri() + "/protocol/openid-connect/auth?client_id=" + clientId
                + "&request_uri=" + encode(requestUri));
        BrowserLogin.Result result = new BrowserLogin(keycloak).open(authorize, username, username + "-password");
        String code = result.param("code");
        assertThat(code).as("authorization code in %s", result.location()).isNotNull();
        return oidc.token(new AuthorizationCodeGrant(new AuthorizationCode(code), REDIRECT), auth(clientId), null);
    }

    private JWTClaimsSet minted(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected a token but got %s",
                response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        return oidc.verify(response.toSuccessResponse().getTokens().getAccessToken().getValue());
    }

    private HttpResponse<String> post(String uri, String clientId, Map<String, String> form)
            throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientId + "-secret")
                .getBytes(StandardCharsets.UTF_8));
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Mintgate's description ends with the reason code and the decision id; returns the id. */
    private static String decisionId(String description, String reason) {
        assertThat(description).as("error_description").isNotNull();
        Matcher matcher = DECISION.matcher(description);
        assertThat(matcher.find()).as("reason and decision id in '%s'", description).isTrue();
        assertThat(matcher.group(1)).isEqualTo(reason);
        return matcher.group(2);
    }

    /**
     * The stored Keycloak event of this refusal, as an admin reads it (GET /admin/realms/{realm}/events): Mintgate's
     * event store wrote the decision's mintgate_* details into it.
     */
    private JsonNode awaitEvent(String type, String decisionId) {
        Predicate<JsonNode> matching = e -> decisionId.equals(e.at("/details/mintgate_decision_id").asText());
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode events = null;
        while (System.nanoTime() < deadline) {
            events = admin.get(realm.path() + "/events?type=" + type + "&max=100").expect(200).json();
            for (JsonNode event : events) {
                if (matching.test(event)) {
                    return event;
                }
            }
            sleep();
        }
        throw new AssertionError("no " + type + " event matched; saw " + events);
    }

    private static void assertStoredDecision(JsonNode event, String rule, String reason) {
        assertThat(event.at("/details/mintgate_outcome").asText()).isEqualTo("deny");
        assertThat(event.at("/details/mintgate_rule").asText()).isEqualTo(rule);
        assertThat(event.at("/details/mintgate_reason").asText()).isEqualTo(reason);
        assertThat(event.at("/details/mintgate_mode").asText()).isEqualTo("enforce");
    }

    private JsonNode awaitAuditRecord(String decisionId) {
        return new AuditTrail(keycloak).await("for decision " + decisionId,
                r -> realm.name().equals(r.at("/data/realm").asText())
                        && decisionId.equals(r.at("/data/decision/id").asText()));
    }

    private static ClientSecretBasic auth(String clientId) {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
