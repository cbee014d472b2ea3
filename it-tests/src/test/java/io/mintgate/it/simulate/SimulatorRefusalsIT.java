package io.mintgate.it.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator against the real token endpoint for every kind of refusal (realm {@code simulate-matrix.json}): a
 * rule on the client, an inactive owner, an expired identity, a rule whose expression fails ({@code policy_error}),
 * a rule on the user of a password grant, an unreachable AuthZEN PDP (fail closed), and an issuance budget, which
 * the simulator reads but never takes. Each simulated outcome, reason and rule equals what the real request got.
 */
@MintgateIT
class SimulatorRefusalsIT {

    private AdminApi admin;
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        realm = RealmFixture.create(admin, "simulate-matrix.json");
        oidc = new OidcClient(keycloak, realm.name());
        String alice = userId("alice");
        String tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        setAttributes("svc-ok", Map.of("mintgate.owner", alice, "mintgate.expires-at", tomorrow));
        setAttributes("svc-expired", Map.of("mintgate.owner", alice, "mintgate.expires-at", "2020-01-01T00:00:00Z"));
        setAttributes("svc-ghost", Map.of("mintgate.owner", userId("ghost")));
    }

    @AfterAll
    void tearDown() {
        realm.close();
    }

    @Test
    void everyKindOfRefusalOfAClientIsWhatTheTokenEndpointAnswers() {
        for (String[] c : List.of(new String[]{"svc-blocked", "kind_blocked", "no-blocked"},
                new String[]{"svc-ghost", "owner_inactive", "owner-active"},
                new String[]{"svc-expired", "nhi_expired", "not-expired"},
                new String[]{"svc-broken", "policy_error", "broken"},
                new String[]{"svc-pdp", "policy_error", "pdp-gated"})) {
            for (boolean callPdps : new boolean[]{false, true}) {
                JsonNode simulated = simulate(Map.of("clientId", c[0], "grantType", "client_credentials",
                        "callPdps", callPdps));
                assertThat(simulated.path("outcome").asText()).as("%s outcome", c[0]).isEqualTo("deny");
                assertThat(simulated.path("reason").asText()).as("%s reason", c[0]).isEqualTo(c[1]);
                assertThat(simulated.path("rule").asText()).as("%s rule", c[0]).isEqualTo(c[2]);
            }
            assertRefused(oidc.clientCredentials(c[0], c[0] + "-secret", null), c[1]);
        }
        JsonNode ok = simulate(Map.of("clientId", "svc-ok", "grantType", "client_credentials"));
        assertThat(ok.path("outcome").asText()).isEqualTo("allow");
        assertThat(oidc.clientCredentials("svc-ok", "svc-ok-secret", null).indicatesSuccess()).isTrue();
    }

    @Test
    void aRuleOnTheUserRefusesThePasswordGrantAsTheSimulatorSaid() {
        ClientSecretBasic app = new ClientSecretBasic(new ClientID("app"), new Secret("app-secret"));
        for (String user : List.of("alice", "bob")) {
            JsonNode simulated = simulate(Map.of("clientId", "app", "grantType", "password",
                    "subject", Map.of("username", user)));
            TokenResponse real = oidc.token(new ResourceOwnerPasswordCredentialsGrant(user,
                    new Secret(user + "-password")), app, null);
            if (user.equals("bob")) {
                assertThat(simulated.path("outcome").asText()).isEqualTo("deny");
                assertThat(simulated.path("reason").asText()).isEqualTo("user_blocked");
                assertRefused(real, "user_blocked");
            } else {
                assertThat(simulated.path("outcome").asText()).isEqualTo("allow");
                assertThat(real.indicatesSuccess()).isTrue();
            }
        }
    }

    @Test
    void aBudgetIsReadButNeverTakenByTheSimulator() {
        Map<String, Object> request = Map.of("clientId", "svc-metered", "grantType", "client_credentials");
        for (int i = 0; i < 5; i++) {
            assertThat(simulate(request).path("outcome").asText()).as("simulation %d", i).isEqualTo("allow");
        }
        // the budget of 2 is untouched by five simulations: both real tokens are minted, the third is refused
        for (int i = 0; i < 2; i++) {
            TokenResponse real = oidc.clientCredentials("svc-metered", "svc-metered-secret", null);
            assertThat(real.indicatesSuccess()).as("real token %d", i).isTrue();
        }
        assertRefused(oidc.clientCredentials("svc-metered", "svc-metered-secret", null), "budget_exhausted");
        JsonNode exhausted = simulate(request);
        assertThat(exhausted.path("outcome").asText()).isEqualTo("deny");
        assertThat(exhausted.path("reason").asText()).isEqualTo("budget_exhausted");
        assertThat(exhausted.path("rule").asText()).isEqualTo("metered");
    }

    private static void assertRefused(TokenResponse real, String reason) {
        assertThat(real.indicatesSuccess()).isFalse();
        assertThat(real.toErrorResponse().getErrorObject().getCode()).isEqualTo("access_denied");
        assertThat(real.toErrorResponse().getErrorObject().getDescription()).contains("(reason: " + reason + ",");
    }

    private JsonNode simulate(Map<String, Object> body) {
        return admin.post(realm.path() + "/mintgate/simulate", new LinkedHashMap<>(body)).expect(200).json();
    }

    private String userId(String username) {
        return admin.get(realm.path() + "/users?username=" + username + "&exact=true").expect(200).json().get(0)
                .path("id").asText();
    }

    private void setAttributes(String clientId, Map<String, String> attributes) {
        JsonNode client = admin.get(realm.path() + "/clients?clientId=" + clientId).expect(200).json().get(0);
        ObjectNode attrs = (ObjectNode) client.path("attributes");
        attributes.forEach(attrs::put);
        admin.put(realm.path() + "/clients/" + client.path("id").asText(), client).expect(204);
    }
}
