package io.mintgate.it.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.ErrorObject;
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
 * The simulator against reality for RFC 9396 {@code authorization_details} (realm {@code rar.json}, whose policy
 * refuses unknown cell types and payments above 1000 EUR and keeps only payment and account cells with the actions
 * initiate, status and read_balances): for a client credentials request with cells, the simulator's granted cells
 * equal the {@code authorization_details} claim of the token the real request returned (verified with Nimbus), its
 * refusal by a rule reading a cell's member equals the real request's (reason, rule, message), and a malformed
 * parameter is a 400 naming the cell and member, as the live path's {@code invalid_authorization_details} does.
 */
@MintgateIT
class SimulatorAuthorizationDetailsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DECISION = Pattern.compile("decision: ([^)\\s]+)\\)");

    /** A payment, an account-information and an "other" cell, as RFC 9396 section 2 writes them. */
    private static final String REQUESTED = """
            [{"type": "payment_initiation", "actions": ["initiate", "status", "cancel"],
              "locations": ["https://example.com/payments"],
              "instructedAmount": {"currency": "EUR", "amount": "123.50"},
              "creditorName": "Merchant A", "creditorAccount": {"iban": "DE02100100109307118603"}},
             {"type": "account_information", "actions": ["list_accounts", "read_balances"],
              "locations": ["https://example.com/accounts"], "identifier": "acc-1"},
             {"type": "other", "note": "no actions at all"}]""";

    private AdminApi admin;
    private RealmFixture realm;
    private OidcClient oidc;
    private StoredEvents stored;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        realm = RealmFixture.create(admin, "rar.json");
        oidc = new OidcClient(keycloak, realm.name());
        stored = new StoredEvents(admin, realm.name());
        stored.enable(List.of("jboss-logging"), List.of("CLIENT_LOGIN", "CLIENT_LOGIN_ERROR"));
    }

    @AfterAll
    void tearDown() {
        realm.close();
    }

    @Test
    void theSimulatedCellsAreTheCellsTheRealTokenIsGranted() throws Exception {
        TokenResponse real = oidc.tokenWithForm(Map.of("grant_type", "client_credentials",
                "client_id", "payments-app", "client_secret", "payments-app-secret", "authorization_details", REQUESTED));
        assertThat(real.indicatesSuccess()).as(() -> real.toErrorResponse().getErrorObject().toString()).isTrue();
        JsonNode granted = JSON.valueToTree(oidc.verify(real.toSuccessResponse().getTokens().getAccessToken().getValue())
                .getClaim("authorization_details"));
        assertThat(granted).as("the policy narrowed the real token's cells").isNotEqualTo(JSON.readTree(REQUESTED));
        assertThat(granted.size()).isEqualTo(2);

        // the request member as a JSON array, and as the parameter's text: the same answer
        for (Object details : List.of(JSON.readTree(REQUESTED), REQUESTED)) {
            JsonNode simulated = simulate(Map.of("clientId", "payments-app", "grantType", "client_credentials",
                    "authorizationDetails", details));
            assertThat(simulated.path("outcome").asText()).as(simulated.toString()).isEqualTo("allow");
            assertThat(simulated.at("/token/authorizationDetails")).as("granted cells").isEqualTo(granted);
            assertThat(simulated.at("/before/authorizationDetails")).as("requested cells").isEqualTo(JSON.readTree(REQUESTED));
            assertThat(simulated.at("/context/grant/authorizationDetails")).isEqualTo(JSON.readTree(REQUESTED));
            assertThat(simulated.at("/obligations/keepAuthorizationDetailTypes"))
                    .isEqualTo(JSON.readTree("[\"account_information\", \"payment_initiation\"]"));
            assertThat(texts(simulated.path("narrowed"))).containsExactly("authorization_details:~payment_initiation",
                    "authorization_details:~account_information", "authorization_details:-other");
        }

        JsonNode without = simulate(Map.of("clientId", "payments-app", "grantType", "client_credentials"));
        assertThat(without.path("token").has("authorizationDetails")).as("no parameter, no cells").isFalse();
    }

    @Test
    void aRuleReadingACellsAmountRefusesTheSimulationAsItRefusesTheRealRequest() {
        String tooMuch = """
                [{"type": "payment_initiation", "actions": ["initiate"],
                  "instructedAmount": {"currency": "EUR", "amount": "5000.00"}}]""";
        TokenResponse real = oidc.tokenWithForm(Map.of("grant_type", "client_credentials",
                "client_id", "payments-app", "client_secret", "payments-app-secret", "authorization_details", tooMuch));
        assertThat(real.indicatesSuccess()).isFalse();
        ErrorObject error = real.toErrorResponse().getErrorObject();
        assertThat(error.getCode()).isEqualTo("access_denied");
        Matcher decision = DECISION.matcher(error.getDescription());
        assertThat(decision.find()).as(error.getDescription()).isTrue();
        JsonNode event = stored.await("CLIENT_LOGIN_ERROR", "with decision " + decision.group(1),
                e -> decision.group(1).equals(e.at("/details/mintgate_decision_id").asText()));

        JsonNode simulated = simulate(Map.of("clientId", "payments-app", "grantType", "client_credentials",
                "authorizationDetails", tooMuch));
        assertThat(simulated.path("outcome").asText()).isEqualTo("deny");
        assertThat(simulated.path("reason").asText()).isEqualTo(event.at("/details/mintgate_reason").asText())
                .isEqualTo("amount_too_high");
        assertThat(simulated.path("rule").asText()).isEqualTo(event.at("/details/mintgate_rule").asText())
                .isEqualTo("payments-cap");
        assertThat(error.getDescription()).startsWith(simulated.path("message").asText() + " (reason: amount_too_high, ");
        assertThat(simulated.has("token")).isFalse();
    }

    @Test
    void malformedAuthorizationDetailsAreA400NamingTheCellAndMember() {
        AdminApi.Response bad = admin.post(realm.path() + "/mintgate/simulate", new LinkedHashMap<>(Map.of(
                "clientId", "payments-app", "grantType", "client_credentials",
                "authorizationDetails", List.of(Map.of("type", "payment_initiation"), Map.of("actions", "initiate")))));
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).contains("authorizationDetails", "invalid_authorization_details",
                "authorization_details[1].type must be a non-empty string; "
                        + "authorization_details[1].actions must be an array of strings");

        // the real request with the same parameter is refused with the same words
        TokenResponse real = oidc.tokenWithForm(Map.of("grant_type", "client_credentials", "client_id", "payments-app",
                "client_secret", "payments-app-secret",
                "authorization_details", "[{\"type\": \"payment_initiation\"}, {\"actions\": \"initiate\"}]"));
        assertThat(real.indicatesSuccess()).isFalse();
        assertThat(real.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_authorization_details");
        assertThat(bad.body()).contains(real.toErrorResponse().getErrorObject().getDescription());

        AdminApi.Response notJson = admin.post(realm.path() + "/mintgate/simulate", new LinkedHashMap<>(Map.of(
                "clientId", "payments-app", "grantType", "client_credentials", "authorizationDetails", "[{\"type\": ")));
        assertThat(notJson.status()).as(notJson.body()).isEqualTo(400);
        assertThat(notJson.body()).contains("authorization_details is not JSON");
    }

    private JsonNode simulate(Map<String, Object> body) {
        return admin.post(realm.path() + "/mintgate/simulate", new LinkedHashMap<>(body)).expect(200).json();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
