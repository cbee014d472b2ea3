package io.mintgate.it.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.CredentialOffers;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator against reality on the two grants that fire no client-policy event, which the live path decides in
 * its token post-processor: UMA (a requesting party token for the resource server {@code rs}, asked for with the
 * user's access token from {@code app}) and the OID4VCI pre-authorized code (an offer of {@code employee-credential}
 * created through {@code wallet-issuer}, redeemed by a wallet). Realm {@code simulate-eventless.json}: one policy
 * refuses flagged users on both grants and narrows contractors to a 60 s access token and a 600 s refresh token.
 * For alice (allowed), carol (narrowed) and mallory (refused), the simulator's outcome, reason, scopes, audiences,
 * lifetimes and refresh token equal those of the real grant's verified token (Nimbus) or its refusal.
 */
@MintgateIT
class SimulatorEventlessGrantsIT {

    private static final String UMA = "urn:ietf:params:oauth:grant-type:uma-ticket";
    private static final String CREDENTIAL = "employee-credential";

    private AdminApi admin;
    private RealmFixture realm;
    private OidcClient oidc;
    private CredentialOffers offers;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        realm = RealmFixture.create(admin, "simulate-eventless.json");
        oidc = new OidcClient(keycloak, realm.name());
        offers = new CredentialOffers(oidc);
        for (String username : List.of("alice", "carol", "mallory")) {
            // Keycloak offers a credential only to users an admin made its holders
            String userId = admin.userId(realm.name(), username);
            AdminApi.Response response = admin.post(realm.path() + "/users/" + userId + "/vc/credentials",
                    Map.of("credentialScopeName", CREDENTIAL));
            assertThat(response.status()).as("grant %s to %s: %s", CREDENTIAL, username, response.body()).isBetween(200, 201);
        }
    }

    @AfterAll
    void tearDown() {
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    void aRequestingPartyTokenIsWhatTheSimulatorSaidAllowedAndNarrowed() throws ParseException {
        for (String user : List.of("alice", "carol")) {
            AccessTokenResponse rpt = success(oidc.uma(login("app", user), "rs"));
            JWTClaimsSet real = oidc.verify(rpt.getTokens().getAccessToken().getValue());

            JsonNode simulated = simulate(Map.of("clientId", "app", "grantType", UMA, "audience", "rs",
                    "subject", Map.of("username", user)));
            assertAllowedAsReal(simulated, real, rpt);
            assertThat(real.getAudience()).contains("rs");
            assertThat(real.getClaim("azp")).isEqualTo("app");
            assertThat(simulated.at("/context/grant/type").asText()).isEqualTo(UMA);
            // the lifetimes the realm and the policy give: 300 s / 1800 s (SSO Session Idle), contractors 60 s / 600 s
            boolean narrowed = user.equals("carol");
            assertThat(simulated.at("/token/accessTokenLifetime").asLong()).isEqualTo(narrowed ? 60 : 300);
            assertThat(simulated.at("/token/refreshTokenLifetime").asLong()).isEqualTo(narrowed ? 600 : 1800);
            assertThat(texts(simulated.path("narrowed"))).isEqualTo(narrowed ? List.of("exp:60s", "refresh_exp:600s") : List.of());
        }
    }

    @Test
    void aRefusedRequestingPartyTokenIsRefusedByTheSimulatorWithTheSameReasonAndRule() {
        TokenResponse real = oidc.uma(login("app", "mallory"), "rs");

        JsonNode simulated = simulate(Map.of("clientId", "app", "grantType", UMA, "audience", "rs",
                "subject", Map.of("username", "mallory")));
        assertRefusedAsReal(simulated, real);
    }

    @Test
    void aPreAuthorizedCodeTokenIsWhatTheSimulatorSaidAllowedAndNarrowed() throws ParseException {
        for (String user : List.of("alice", "carol")) {
            String code = offers.preAuthorizedCode(login("wallet-issuer", user), CREDENTIAL, null);
            AccessTokenResponse response = success(offers.redeem(code));
            JWTClaimsSet real = oidc.verify(response.getTokens().getAccessToken().getValue());

            JsonNode simulated = simulate(Map.of("clientId", "wallet-issuer",
                    "grantType", CredentialOffers.PRE_AUTHORIZED_CODE_GRANT, "credentialConfigurationId", CREDENTIAL,
                    "subject", Map.of("username", user)));
            assertAllowedAsReal(simulated, real, response);
            assertThat(real.getAudience()).containsExactly(oidc.realmUri() + "/protocol/oid4vc/credential");
            assertThat(real.getClaim("scope")).isEqualTo(CREDENTIAL);
            assertThat(simulated.at("/token/refreshToken").asBoolean(true)).isFalse();
            assertThat(simulated.at("/token/accessTokenLifetime").asLong()).isEqualTo(user.equals("carol") ? 60 : 300);
        }
    }

    @Test
    void aRefusedPreAuthorizedCodeIsRefusedByTheSimulatorWithTheSameReasonAndRule() {
        String code = offers.preAuthorizedCode(login("wallet-issuer", "mallory"), CREDENTIAL, null);
        TokenResponse real = offers.redeem(code);

        JsonNode simulated = simulate(Map.of("clientId", "wallet-issuer",
                "grantType", CredentialOffers.PRE_AUTHORIZED_CODE_GRANT, "credentialConfigurationId", CREDENTIAL,
                "subject", Map.of("username", "mallory")));
        assertRefusedAsReal(simulated, real);
    }

    @Test
    void whatKeycloakWouldRefuseOnTheseGrantsIsA400NamingIt() {
        String path = realm.path() + "/mintgate/simulate";
        AdminApi.Response notAResourceServer = admin.post(path, Map.of("clientId", "app", "grantType", UMA,
                "audience", "wallet-issuer", "subject", Map.of("username", "alice")));
        assertThat(notAResourceServer.status()).isEqualTo(400);
        assertThat(notAResourceServer.body()).contains("audience: client wallet-issuer is not a resource server");
        AdminApi.Response noCredential = admin.post(path, Map.of("clientId", "wallet-issuer",
                "grantType", CredentialOffers.PRE_AUTHORIZED_CODE_GRANT, "subject", Map.of("username", "alice")));
        assertThat(noCredential.status()).isEqualTo(400);
        assertThat(noCredential.body()).contains("credentialConfigurationId: required");
        AdminApi.Response unknownCredential = admin.post(path, Map.of("clientId", "wallet-issuer",
                "grantType", CredentialOffers.PRE_AUTHORIZED_CODE_GRANT, "credentialConfigurationId", "diploma",
                "subject", Map.of("username", "alice")));
        assertThat(unknownCredential.status()).isEqualTo(400);
        assertThat(unknownCredential.body()).contains("'diploma'");
        AdminApi.Response notOpen = admin.post(path, Map.of("clientId", "app",
                "grantType", CredentialOffers.PRE_AUTHORIZED_CODE_GRANT, "credentialConfigurationId", CREDENTIAL,
                "subject", Map.of("username", "alice")));
        assertThat(notOpen.status()).isEqualTo(400);
        assertThat(notOpen.body()).contains("OID4VCI is off");
    }

    // helpers

    private void assertAllowedAsReal(JsonNode simulated, JWTClaimsSet real, AccessTokenResponse response)
            throws ParseException {
        assertThat(simulated.path("outcome").asText()).isEqualTo("allow");
        assertThat(simulated.at("/context/event").asText()).isEqualTo("TOKEN_POST_PROCESSOR");
        JsonNode token = simulated.path("token");
        assertThat(new TreeSet<>(texts(token.path("scopes")))).as("scopes").isEqualTo(scopes(real));
        assertThat(new TreeSet<>(texts(token.path("audiences")))).as("audiences")
                .isEqualTo(new TreeSet<>(real.getAudience() == null ? List.of() : real.getAudience()));
        long lifetime = (real.getExpirationTime().getTime() - real.getIssueTime().getTime()) / 1000;
        assertThat(token.path("accessTokenLifetime").asLong()).as("access token lifetime").isEqualTo(lifetime);
        boolean realRefresh = response.getTokens().getRefreshToken() != null;
        assertThat(token.path("refreshToken").asBoolean()).as("refresh token issued").isEqualTo(realRefresh);
        if (realRefresh) {
            // Keycloak's refresh token is for Keycloak alone (HMAC-signed): its lifetime is read, not verified
            JWTClaimsSet refresh = JWTParser.parse(response.getTokens().getRefreshToken().getValue()).getJWTClaimsSet();
            long refreshLifetime = (refresh.getExpirationTime().getTime() - refresh.getIssueTime().getTime()) / 1000;
            assertThat(token.path("refreshTokenLifetime").asLong()).as("refresh token lifetime").isEqualTo(refreshLifetime);
            assertThat(token.path("refreshTokenType").asText()).isEqualTo(refresh.getStringClaim("typ"));
        }
    }

    private static void assertRefusedAsReal(JsonNode simulated, TokenResponse real) {
        assertThat(real.indicatesSuccess()).isFalse();
        String description = real.toErrorResponse().getErrorObject().getDescription();
        assertThat(real.toErrorResponse().getErrorObject().getCode()).isEqualTo("access_denied");
        assertThat(description).contains("(reason: subject_flagged,");
        assertThat(simulated.path("outcome").asText()).isEqualTo("deny");
        assertThat(simulated.path("reason").asText()).isEqualTo("subject_flagged");
        assertThat(simulated.path("rule").asText()).isEqualTo("flagged-subjects");
        assertThat(description).startsWith(simulated.path("message").asText());
        assertThat(simulated.has("token")).as("no token on a refusal").isFalse();
    }

    /** The user's access token from a password login through {@code clientId} (the refusing rule does not match it). */
    private String login(String clientId, String username) {
        return success(oidc.token(new ResourceOwnerPasswordCredentialsGrant(username, new Secret(username + "-password")),
                new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret")), "openid"))
                .getTokens().getAccessToken().getValue();
    }

    private JsonNode simulate(Map<String, Object> body) {
        return admin.post(realm.path() + "/mintgate/simulate", new LinkedHashMap<>(body)).expect(200).json();
    }

    private static AccessTokenResponse success(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as(() -> response.toErrorResponse().getErrorObject().toString()).isTrue();
        return response.toSuccessResponse();
    }

    private static TreeSet<String> scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        return scope == null ? new TreeSet<>() : new TreeSet<>(Arrays.stream(scope.toString().trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toList());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
