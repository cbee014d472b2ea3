package io.mintgate.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.TokenResponse;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditTrail;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issuance budgets on the real server: N client_credentials tokens per window pass, the next is refused with the
 * reset time, the window's end brings the budget back; shadow budgets mint and report; a token refused after the
 * budget was counted gives its unit back.
 */
@MintgateIT
class IssuanceBudgetIT {

    private static final Pattern RESET = Pattern.compile("it resets at (\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z)\\.");

    private AdminApi admin;
    private KeycloakRuntime keycloak;
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        this.keycloak = keycloak;
        realm = RealmFixture.create(admin, "budget.json");
        oidc = new OidcClient(keycloak, realm.name());
    }

    @AfterEach
    void noPolicy() {
        saveProfile(List.of());
    }

    @AfterAll
    void tearDown() {
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    void threeTokensPassTheFourthIsRefusedUntilTheWindowResets() throws Exception {
        Duration window = Duration.ofSeconds(20);
        saveProfile(List.of(executor(budgetRule("ci-budget", "enforce", "client", 3, window))));
        // The whole burst must fall in one window: start it with at least 10 s of the window left.
        Instant windowEnd = BudgetWindows.windowWithAtLeast(window, Duration.ofSeconds(10));

        for (int i = 1; i <= 3; i++) {
            JWTClaimsSet token = minted(oidc.clientCredentials("ci-runner", "ci-runner-secret", null));
            assertThat(token.getStringClaim("azp")).as("token %d", i).isEqualTo("ci-runner");
        }
        ErrorObject refusal = refused(oidc.clientCredentials("ci-runner", "ci-runner-secret", null), "budget_exhausted");
        assertThat(refusal.getDescription()).startsWith("Issuance budget of 3 per PT20S for this key is exhausted;");
        Instant reset = resetIn(refusal.getDescription());
        assertThat(reset).as("the reset the server reports is the end of the epoch-aligned window").isEqualTo(windowEnd);
        // still refused while the window lasts (exhausted requests do not count, they are only read)
        refused(oidc.clientCredentials("ci-runner", "ci-runner-secret", null), "budget_exhausted");

        BudgetWindows.sleepUntil(reset.plusMillis(300));
        minted(oidc.clientCredentials("ci-runner", "ci-runner-secret", null));
    }

    @Test
    void aShadowBudgetMintsAndRecordsTheWouldBeRefusal() throws Exception {
        Duration window = Duration.ofHours(1);
        saveProfile(List.of(executor(budgetRule("trial-budget", "shadow", "client", 1, window))));
        BudgetWindows.windowWithAtLeast(window, Duration.ofSeconds(30));

        JWTClaimsSet first = minted(oidc.clientCredentials("trial-bot", "trial-bot-secret", null));
        JWTClaimsSet second = minted(oidc.clientCredentials("trial-bot", "trial-bot-secret", null));

        AuditTrail audit = new AuditTrail(keycloak);
        JsonNode over = audit.await("for the over-budget shadow token " + second.getJWTID(),
                r -> second.getJWTID().equals(r.at("/data/tokenId").asText()));
        assertThat(over.at("/type").asText()).endsWith("issued");
        assertThat(over.at("/data/decision/outcome").asText()).isEqualTo("allow");
        assertThat(over.at("/data/decision/shadowDenials").toString()).contains("trial-budget:budget_exhausted");
        JsonNode within = audit.await("for the in-budget shadow token " + first.getJWTID(),
                r -> first.getJWTID().equals(r.at("/data/tokenId").asText()));
        assertThat(within.at("/data/decision/shadowDenials").toString()).doesNotContain("trial-budget");
    }

    @Test
    void aTokenRefusedByALaterExecutorGivesItsBudgetUnitBack() {
        Duration window = Duration.ofHours(1);
        Map<String, Object> budget = executor(budgetRule("retry-budget", "enforce", "client", 2, window));
        Map<String, Object> blockAll = executor("{\"rules\": [{\"name\": \"maintenance\", \"reason\": \"maintenance\","
                + " \"deny\": \"client.clientId == 'retry-bot'\"}]}");
        BudgetWindows.windowWithAtLeast(window, Duration.ofSeconds(30));

        // The budget executor counts each request, then the next executor refuses it: the request's transaction rolls
        // back and the unit is given back. Without that, the third attempt would already be budget_exhausted.
        saveProfile(List.of(budget, blockAll));
        for (int i = 0; i < 3; i++) {
            refused(oidc.clientCredentials("retry-bot", "retry-bot-secret", null), "maintenance");
        }
        saveProfile(List.of(budget));
        minted(oidc.clientCredentials("retry-bot", "retry-bot-secret", null));
        minted(oidc.clientCredentials("retry-bot", "retry-bot-secret", null));
        refused(oidc.clientCredentials("retry-bot", "retry-bot-secret", null), "budget_exhausted");
    }

    /** Counters belong to a realm, not to its name: a realm dropped and re-created does not inherit them. */
    @Test
    void aRealmRecreatedUnderTheSameNameStartsWithAFreshBudget() {
        Duration window = Duration.ofHours(1);
        List<Map<String, Object>> budget = List.of(executor(budgetRule("realm-budget", "enforce", "client", 1, window)));
        BudgetWindows.windowWithAtLeast(window, Duration.ofSeconds(60));
        saveProfile(budget);
        minted(oidc.clientCredentials("ci-runner", "ci-runner-secret", null));
        refused(oidc.clientCredentials("ci-runner", "ci-runner-secret", null), "budget_exhausted");
        String oldId = realm.id();

        realm.recreate();
        saveProfile(budget);

        assertThat(realm.id()).as("the re-created realm's id").isNotEqualTo(oldId);
        minted(oidc.clientCredentials("ci-runner", "ci-runner-secret", null));
        refused(oidc.clientCredentials("ci-runner", "ci-runner-secret", null), "budget_exhausted");
    }

    @Test
    void aBadBudgetIsRefusedWhenSavedWith400NamingTheField() {
        AdminApi.Response response = admin.put(realm.path() + "/client-policies/profiles", profiles(List.of(executor(
                "{\"rules\": [{\"name\": \"b\", \"reason\": \"budget_exhausted\","
                        + " \"budget\": {\"key\": \"client\", \"limit\": 10, \"window\": \"1h\"}}]}"))));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errorMessage").asText(response.body()))
                .contains("rules[0].budget.window", "ISO-8601");
    }

    // helpers

    static String budgetRule(String name, String mode, String key, int limit, Duration window) {
        return "{\"rules\": [{\"name\": \"" + name + "\", \"reason\": \"budget_exhausted\", \"mode\": \"" + mode + "\","
                + " \"budget\": {\"key\": \"" + key + "\", \"limit\": " + limit + ", \"window\": \"" + window + "\"}}]}";
    }

    static Instant resetIn(String description) {
        Matcher matcher = RESET.matcher(description);
        assertThat(matcher.find()).as("a reset time in '%s'", description).isTrue();
        return Instant.parse(matcher.group(1));
    }

    private JWTClaimsSet minted(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected a token, got %s", response.indicatesSuccess() ? ""
                : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        return oidc.verify(response.toSuccessResponse().getTokens().getAccessToken().getValue());
    }

    static ErrorObject refused(TokenResponse response, String reason) {
        assertThat(response.indicatesSuccess()).as("expected a refusal (%s) but a token was minted", reason).isFalse();
        ErrorObject error = response.toErrorResponse().getErrorObject();
        assertThat(error.getCode()).isEqualTo("access_denied");
        assertThat(error.getDescription()).containsPattern("\\(reason: " + reason + ", decision: [0-9a-f-]{36}\\)$");
        return error;
    }

    static Map<String, Object> executor(String policy) {
        return Map.of("executor", "issuance-authorizer", "configuration", Map.of("policy", policy));
    }

    static Map<String, Object> profiles(List<Map<String, Object>> executors) {
        return Map.of("profiles", List.of(Map.of("name", "budget", "executors", new ArrayList<>(executors))));
    }

    private void saveProfile(List<Map<String, Object>> executors) {
        admin.put(realm.path() + "/client-policies/profiles", profiles(executors)).expect(204);
    }
}
