package io.mintgate.it.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

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
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The refresh token in the simulator's answer against the one a real password grant returns. Realm
 * {@code simulate-refresh.json}: SSO Session Idle 1800 s and Max 36000 s, Offline Session Idle 30 days with Offline
 * Session Max Limited on (60 days: the idle timeouts decide, to the second); client {@code short-session} overrides Client Session Idle (600 s),
 * {@code offline-capped} Client Offline Session Idle (1 day); the policy caps {@code capped}'s refresh token at 900 s
 * and forbids one to {@code no-refresh}. For each, the simulator's {@code refreshToken}, {@code refreshTokenType}
 * and {@code refreshTokenLifetime} equal the real refresh token's presence, {@code typ} and {@code exp - iat}. Alice
 * holds the {@code offline_access} role, bob does not.
 */
@MintgateIT
class SimulatorRefreshTokenIT {

    private AdminApi admin;
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        realm = RealmFixture.create(admin, "simulate-refresh.json");
        oidc = new OidcClient(keycloak, realm.name());
    }

    @AfterAll
    void tearDown() {
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    void theRefreshTokenLifetimeFollowsTheSsoSessionAndTheClientsOverride() throws ParseException {
        assertThat(sameAsReal("app", "openid")).isEqualTo(1800);
        assertThat(sameAsReal("short-session", "openid")).isEqualTo(600);
    }

    @Test
    void anOfflineTokenLivesAsTheOfflineSessionAndTheClientsOverride() throws ParseException {
        assertThat(sameAsReal("app", "openid offline_access")).isEqualTo(2592000);
        assertThat(sameAsReal("offline-capped", "openid offline_access")).isEqualTo(86400);
        assertThat(simulate("app", "openid offline_access").at("/token/refreshTokenType").asText()).isEqualTo("Offline");
    }

    @Test
    void anOfflineTokenForAUserWithoutTheOfflineAccessRoleIsThe400KeycloakAnswers() {
        TokenResponse real = oidc.token(new ResourceOwnerPasswordCredentialsGrant("bob", new Secret("bob-password")),
                new ClientSecretBasic(new ClientID("app"), new Secret("app-secret")), "openid offline_access");
        assertThat(real.indicatesSuccess()).isFalse();
        assertThat(real.toErrorResponse().getErrorObject().getCode()).isEqualTo("not_allowed");

        AdminApi.Response simulated = admin.post(realm.path() + "/mintgate/simulate", new LinkedHashMap<>(Map.of(
                "clientId", "app", "grantType", "password", "scope", "openid offline_access",
                "subject", Map.of("username", "bob"))));
        assertThat(simulated.status()).isEqualTo(400);
        assertThat(simulated.body()).contains("not_allowed", "Offline tokens not allowed");
    }

    @Test
    void thePolicyCapsTheRefreshTokenLifetimeOrForbidsTheRefreshToken() throws ParseException {
        assertThat(sameAsReal("capped", "openid")).isEqualTo(900);
        JsonNode capped = simulate("capped", "openid");
        assertThat(capped.at("/before/refreshTokenLifetime").asLong()).isEqualTo(1800);
        assertThat(capped.at("/obligations/maxRefreshTokenLifetime").isMissingNode()).isFalse();

        JsonNode none = simulate("no-refresh", "openid");
        assertThat(none.at("/token/refreshToken").asBoolean(true)).isFalse();
        assertThat(none.at("/token/refreshTokenLifetime").isMissingNode()).isTrue();
        assertThat(none.at("/before/refreshToken").asBoolean()).isTrue();
        assertThat(none.path("narrowed").toString()).isEqualTo("[\"refresh_token:-\"]");
        assertThat(password("no-refresh", "openid").getTokens().getRefreshToken()).isNull();
    }

    /** Simulates, then asks for real, and returns the lifetime both gave. */
    private long sameAsReal(String clientId, String scope) throws ParseException {
        JsonNode simulated = simulate(clientId, scope);
        AccessTokenResponse response = password(clientId, scope);
        assertThat(simulated.path("outcome").asText()).isEqualTo("allow");
        assertThat(simulated.at("/token/refreshToken").asBoolean()).isTrue();
        assertThat(response.getTokens().getRefreshToken()).isNotNull();
        // Keycloak's refresh token is for Keycloak alone (HMAC-signed): its lifetime is read, not verified
        JWTClaimsSet refresh = JWTParser.parse(response.getTokens().getRefreshToken().getValue()).getJWTClaimsSet();
        long lifetime = (refresh.getExpirationTime().getTime() - refresh.getIssueTime().getTime()) / 1000;
        assertThat(simulated.at("/token/refreshTokenLifetime").asLong()).as("%s %s", clientId, scope).isEqualTo(lifetime);
        assertThat(simulated.at("/token/refreshTokenType").asText()).isEqualTo(refresh.getStringClaim("typ"));
        JWTClaimsSet access = oidc.verify(response.getTokens().getAccessToken().getValue());
        assertThat(simulated.at("/token/accessTokenLifetime").asLong())
                .isEqualTo((access.getExpirationTime().getTime() - access.getIssueTime().getTime()) / 1000);
        return lifetime;
    }

    private JsonNode simulate(String clientId, String scope) {
        return admin.post(realm.path() + "/mintgate/simulate", new LinkedHashMap<>(Map.of("clientId", clientId,
                "grantType", "password", "scope", scope, "subject", Map.of("username", "alice")))).expect(200).json();
    }

    private AccessTokenResponse password(String clientId, String scope) {
        TokenResponse response = oidc.token(new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-password")),
                new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret")), scope);
        assertThat(response.indicatesSuccess()).as(() -> response.toErrorResponse().getErrorObject().toString()).isTrue();
        return response.toSuccessResponse();
    }
}
