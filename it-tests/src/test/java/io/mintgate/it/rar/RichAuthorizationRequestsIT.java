package io.mintgate.it.rar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 9396 {@code authorization_details} on the real server (realm {@code rar.json}): policies read the cells, refuse
 * on a cell's type or amount, and narrow the cells the token is granted; the signed token's claim, the token
 * response's member and the introspection answer show exactly the narrowed cells; a malformed parameter is
 * {@code invalid_authorization_details}. Client credentials (decided at the token-response event) and token exchange
 * (decided in the token build) are the two decision places a request with cells goes through.
 */
@MintgateIT
class RichAuthorizationRequestsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    /** A payment, an account-information and an "other" cell, as RFC 9396 section 2 writes them. */
    private static final String REQUESTED = """
            [{"type": "payment_initiation", "actions": ["initiate", "status", "cancel"],
              "locations": ["https://example.com/payments"],
              "instructedAmount": {"currency": "EUR", "amount": "123.50"},
              "creditorName": "Merchant A", "creditorAccount": {"iban": "DE02100100109307118603"}},
             {"type": "account_information", "actions": ["list_accounts", "read_balances"],
              "locations": ["https://example.com/accounts"], "identifier": "acc-1"},
             {"type": "other", "note": "no actions at all"}]""";

    private final HttpClient http = HttpClient.newHttpClient();
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        realm = RealmFixture.create(admin, "rar.json");
        oidc = new OidcClient(keycloak, realm.name());
    }

    @AfterAll
    void tearDown() {
        realm.close();
    }

    @Test
    void clientCredentialsCellsAreNarrowedAlikeInTheSignedTokenTheResponseAndIntrospection() throws Exception {
        JsonNode response = success(token("payments-app", Map.of("grant_type", "client_credentials",
                "authorization_details", REQUESTED)));
        // the "other" cell's type is not kept; cancel and list_accounts are not among the allowed actions
        JsonNode expected = JSON.readTree("""
                [{"type": "payment_initiation", "actions": ["initiate", "status"],
                  "locations": ["https://example.com/payments"],
                  "instructedAmount": {"currency": "EUR", "amount": "123.50"},
                  "creditorName": "Merchant A", "creditorAccount": {"iban": "DE02100100109307118603"}},
                 {"type": "account_information", "actions": ["read_balances"],
                  "locations": ["https://example.com/accounts"], "identifier": "acc-1"}]""");
        String accessToken = response.path("access_token").asText();
        JWTClaimsSet claims = oidc.verify(accessToken);
        assertThat((JsonNode) JSON.valueToTree(claims.getClaim("authorization_details"))).as("signed token").isEqualTo(expected);
        assertThat(response.get("authorization_details")).as("token response").isEqualTo(expected);
        JsonNode introspection = introspect(accessToken, "payments-api");
        assertThat(introspection.path("active").asBoolean()).as("introspection: %s", introspection).isTrue();
        assertThat(introspection.get("authorization_details")).as("introspection").isEqualTo(expected);
    }

    @Test
    void aRuleRefusesOnACellsAmountAndAnotherOnAnUnknownTypeWithTheirReasons() throws Exception {
        HttpResponse<String> tooMuch = token("payments-app", Map.of("grant_type", "client_credentials",
                "authorization_details", """
                        [{"type": "payment_initiation", "actions": ["initiate"],
                          "instructedAmount": {"currency": "EUR", "amount": "5000.00"}}]"""));
        assertThat(tooMuch.statusCode()).isEqualTo(400);
        JsonNode refusal = JSON.readTree(tooMuch.body());
        assertThat(refusal.path("error").asText()).isEqualTo("access_denied");
        assertThat(refusal.path("error_description").asText())
                .startsWith("Payments above 1000 EUR need a person. (reason: amount_too_high, decision: ");

        HttpResponse<String> unknown = token("payments-app", Map.of("grant_type", "client_credentials",
                "authorization_details", "[{\"type\": \"crypto_transfer\", \"actions\": [\"send\"]}]"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).path("error_description").asText())
                .startsWith("Only payment, account and other cells may be asked for. "
                        + "(reason: unknown_authorization_details_type, decision: ");
    }

    @Test
    void malformedAuthorizationDetailsAreInvalidAuthorizationDetailsNamingEveryProblem() throws Exception {
        assertInvalid(token("payments-app", Map.of("grant_type", "client_credentials",
                "authorization_details", "{\"type\": \"payment_initiation\"}")),
                "authorization_details must be a JSON array of objects");
        assertInvalid(token("payments-app", Map.of("grant_type", "client_credentials",
                "authorization_details", "[{\"type\": \"payment_initiation\"}, {\"actions\": \"initiate\"}]")),
                "authorization_details[1].type must be a non-empty string; "
                        + "authorization_details[1].actions must be an array of strings");
        assertInvalid(token("payments-app", Map.of("grant_type", "client_credentials",
                "authorization_details", "[{\"type\": ")), "authorization_details is not JSON: ");

        String subjectToken = success(password()).path("access_token").asText();
        assertInvalid(token("agent", Map.of("grant_type", EXCHANGE, "subject_token", subjectToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "authorization_details", "[7]")), "authorization_details[0] must be a JSON object");
    }

    @Test
    void aTokenExchangeIsGrantedOnlyTheCellsEveryAllowingRuleLeaves() throws Exception {
        JsonNode user = success(password());
        String subjectToken = user.path("access_token").asText();
        assertThat(oidc.verify(subjectToken).getClaim("authorization_details")).as("no parameter, no cells").isNull();
        assertThat(user.has("authorization_details")).as("no parameter, no response member").isFalse();

        JsonNode exchanged = success(token("agent", Map.of("grant_type", EXCHANGE, "subject_token", subjectToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "authorization_details", REQUESTED)));
        // types: [payment, account] of one rule ∩ [payment, other] of the actor's rule; actions as for any client
        JsonNode expected = JSON.readTree("""
                [{"type": "payment_initiation", "actions": ["initiate", "status"],
                  "locations": ["https://example.com/payments"],
                  "instructedAmount": {"currency": "EUR", "amount": "123.50"},
                  "creditorName": "Merchant A", "creditorAccount": {"iban": "DE02100100109307118603"}}]""");
        String accessToken = exchanged.path("access_token").asText();
        assertThat((JsonNode) JSON.valueToTree(oidc.verify(accessToken).getClaim("authorization_details"))).as("signed token")
                .isEqualTo(expected);
        assertThat(exchanged.get("authorization_details")).as("token response").isEqualTo(expected);
        JsonNode introspection = introspect(accessToken, "payments-api");
        assertThat(introspection.path("active").asBoolean()).as("introspection: %s", introspection).isTrue();
        assertThat(introspection.get("authorization_details")).as("introspection").isEqualTo(expected);

        // decided in the token build, after Keycloak verified the subject token: the amount rule refuses there too
        HttpResponse<String> tooMuch = token("agent", Map.of("grant_type", EXCHANGE, "subject_token", subjectToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "authorization_details", "[{\"type\": \"payment_initiation\", \"actions\": [\"initiate\"], "
                        + "\"instructedAmount\": {\"currency\": \"EUR\", \"amount\": \"1000.01\"}}]"));
        assertThat(tooMuch.statusCode()).as(tooMuch.body()).isEqualTo(400);
        JsonNode refusal = JSON.readTree(tooMuch.body());
        assertThat(refusal.path("error").asText()).isEqualTo("access_denied");
        assertThat(refusal.path("error_description").asText())
                .startsWith("Payments above 1000 EUR need a person. (reason: amount_too_high, decision: ");
    }

    @Test
    void anExchangedTokenIsGrantedNoCellBeyondItsSubjectTokensCells() throws Exception {
        String statusOnly = """
                [{"type": "payment_initiation", "actions": ["status"], "locations": ["https://example.com/payments"],
                  "instructedAmount": {"currency": "EUR", "amount": "5.00"}}]""";
        JsonNode cell = JSON.readTree(statusOnly);
        JsonNode user = success(token("portal", Map.of("grant_type", "password", "username", "alice",
                "password", "alice-password", "authorization_details", statusOnly)));
        String subjectToken = user.path("access_token").asText();
        assertThat((JsonNode) JSON.valueToTree(oidc.verify(subjectToken).getClaim("authorization_details")))
                .as("the password grant's token").isEqualTo(cell);

        JsonNode same = success(token("agent", Map.of("grant_type", EXCHANGE, "subject_token", subjectToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token", "authorization_details", statusOnly)));
        assertThat((JsonNode) JSON.valueToTree(oidc.verify(same.path("access_token").asText())
                .getClaim("authorization_details"))).as("asking for the subject token's cell").isEqualTo(cell);

        // initiate is allowed by every rule, but the subject token was granted status only: the cell is not granted
        JsonNode more = success(token("agent", Map.of("grant_type", EXCHANGE, "subject_token", subjectToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token", "authorization_details", """
                        [{"type": "payment_initiation", "actions": ["initiate", "status"],
                          "locations": ["https://example.com/payments"],
                          "instructedAmount": {"currency": "EUR", "amount": "5.00"}}]""")));
        assertThat((JsonNode) JSON.valueToTree(oidc.verify(more.path("access_token").asText())
                .getClaim("authorization_details"))).as("signed token").isEqualTo(JSON.readTree("[]"));
        assertThat(more.get("authorization_details")).as("token response").isEqualTo(JSON.readTree("[]"));
    }

    private HttpResponse<String> password() throws IOException, InterruptedException {
        return token("portal", Map.of("grant_type", "password", "username", "alice", "password", "alice-password"));
    }

    private void assertInvalid(HttpResponse<String> response, String description) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).as(response.body()).isEqualTo("invalid_authorization_details");
        assertThat(body.path("error_description").asText()).startsWith(description);
    }

    private static JsonNode success(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** A token request exactly as written, so that the response's members are read as sent. */
    private HttpResponse<String> token(String clientId, Map<String, String> form) throws IOException, InterruptedException {
        Map<String, String> fields = new LinkedHashMap<>(form);
        String body = fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(oidc.tokenEndpoint())
                .header("Authorization", basic(clientId))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode introspect(String token, String clientId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(oidc.realmUri() + "/protocol/openid-connect/token/introspect"))
                .header("Authorization", basic(clientId))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("introspection: %s", response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String basic(String clientId) {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientId + "-secret")
                .getBytes(StandardCharsets.UTF_8));
    }
}
