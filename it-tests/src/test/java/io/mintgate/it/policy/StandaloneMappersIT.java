package io.mintgate.it.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
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
 * The narrowing protocol mappers on their own: a realm with no client policy at all, the mappers attached to a client
 * and to a client scope through the admin REST API. Every token is verified against the realm JWKS; the response's
 * {@code scope} and {@code expires_in} must describe the token they carry, and a refresh never yields more.
 */
@MintgateIT
class StandaloneMappersIT {

    private static final String OIDC = "openid-connect";

    private AdminApi admin;
    private KeycloakRuntime keycloak;
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        this.keycloak = keycloak;
        realm = RealmFixture.create(admin, "standalone-mappers.json");
        oidc = new OidcClient(keycloak, realm.name());
        assertThat(admin.get(realm.path() + "/client-policies/policies").expect(200).json().path("policies"))
                .as("no client policy: the mappers act alone").isEmpty();

        for (String scope : List.of("billing:read", "billing:write", "crm:read")) {
            addOptionalScope("reports-agent", createScope(scope));
        }
        String reportsRead = createScope("reports:read");
        addOptionalScope("reporting-app", reportsRead);
        addOptionalScope("dashboard-app", reportsRead);

        // On the client: the agent keeps only billing scopes and the billing API, for two minutes, with no refresh token.
        String agent = realm.path() + "/clients/" + admin.clientUuid(realm.name(), "reports-agent") + "/protocol-mappers/models";
        admin.post(agent, mapper("billing scopes only", "mintgate-scope-limit", Map.of("scopes", "billing:*"))).expect(201);
        admin.post(agent, mapper("billing api only", "mintgate-audience-limit", Map.of("audiences", "billing-*"))).expect(201);
        admin.post(agent, mapper("two minutes", "mintgate-lifetime-cap", Map.of("access.token.lifetime", "PT2M",
                "refresh.token.issued", "false"))).expect(201);
        admin.post(agent, mapper("issuance facts", "mintgate-context-claims", Map.of("access.token.claim", "true",
                "introspection.token.claim", "true"))).expect(201);

        // On a client scope: reporting tokens keep openid/profile/reports:*, live 120 s, refresh tokens at most 10 min.
        admin.post(realm.path() + "/client-scopes", Map.of("name", "mintgate-narrowing", "protocol", OIDC,
                "attributes", Map.of("include.in.token.scope", "false"))).expect(201);
        String narrowing = scopeId("mintgate-narrowing");
        String models = realm.path() + "/client-scopes/" + narrowing + "/protocol-mappers/models";
        admin.post(models, mapper("reporting scopes", "mintgate-scope-limit", Map.of("scopes", "profile##reports:*"))).expect(201);
        admin.post(models, mapper("short-lived", "mintgate-lifetime-cap", Map.of("access.token.lifetime", "120",
                "refresh.token.lifetime", "PT10M"))).expect(201);
        admin.post(models, mapper("issuance facts", "mintgate-context-claims", Map.of("claim.name", "issuance",
                "claims", "grant_type##client_id##owner##purpose##expires_at##decision_id",
                "access.token.claim", "true", "id.token.claim", "true"))).expect(201);
        admin.put(realm.path() + "/clients/" + admin.clientUuid(realm.name(), "reporting-app")
                + "/default-client-scopes/" + narrowing, null).expect(204);
    }

    @AfterAll
    void tearDown() {
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    void clientCredentialsTokenKeepsOnlyBillingScopesAndAudienceForTwoMinutesWithoutRefreshToken() throws Exception {
        AccessTokenResponse response = success(oidc.clientCredentials("reports-agent", "reports-agent-secret",
                "billing:read billing:write crm:read"));
        JWTClaimsSet claims = oidc.verify(response.getTokens().getAccessToken().getValue());

        assertThat(claims.getStringClaim("scope").split(" ")).containsExactlyInAnyOrder("billing:read", "billing:write");
        assertThat(claims.getAudience()).containsExactly("billing-api");
        assertThat(lifetime(claims)).isEqualTo(120);
        assertThat(response.getTokens().getAccessToken().getScope().toString()).isEqualTo(claims.getStringClaim("scope"));
        assertThat(response.getTokens().getAccessToken().getLifetime()).isEqualTo(lifetime(claims));
        assertThat(response.getTokens().getRefreshToken()).as("refresh token (client asks for one, mapper withholds it)").isNull();

        Map<String, Object> facts = claims.getJSONObjectClaim("mintgate");
        assertThat(facts).containsEntry("grant_type", "client_credentials").containsEntry("client_id", "reports-agent")
                .containsEntry("owner", admin.userId(realm.name(), "alice")).containsEntry("purpose", "nightly billing reports")
                .doesNotContainKeys("decision_id", "expires_at");

        JsonNode record = new AuditTrail(keycloak).await("for the narrowed agent token",
                r -> claims.getJWTID().equals(r.at("/data/tokenId").asText()));
        assertThat(record.at("/data/decision/narrowed").asText())
                .contains("scope:-crm:read", "aud:-crm-api", "exp:120s", "refresh_token:-")
                .doesNotContain("scope:-billing");
    }

    @Test
    void introspectionByTheResourceServerReflectsTheNarrowedToken() throws Exception {
        String token = success(oidc.clientCredentials("reports-agent", "reports-agent-secret", "billing:read crm:read"))
                .getTokens().getAccessToken().getValue();
        JWTClaimsSet claims = oidc.verify(token);

        TokenIntrospectionResponse introspection = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                URI.create(oidc.realmUri() + "/protocol/openid-connect/token/introspect"),
                new ClientSecretBasic(new ClientID("billing-api"), new Secret("billing-api-secret")),
                new BearerAccessToken(token)).toHTTPRequest().send());
        assertThat(introspection.indicatesSuccess()).isTrue();
        TokenIntrospectionSuccessResponse active = introspection.toSuccessResponse();
        assertThat(active.isActive()).isTrue();
        assertThat(active.getScope().toString()).isEqualTo(claims.getStringClaim("scope")).isEqualTo("billing:read");
        assertThat(active.getAudience()).extracting(Audience::getValue).containsExactly("billing-api");
        assertThat(active.getExpirationTime()).isEqualTo(claims.getExpirationTime());
        assertThat(active.getIssueTime()).isEqualTo(claims.getIssueTime());
    }

    @Test
    void passwordTokensAndTheirRefreshAreNarrowedByTheMappersOfAClientScope() throws Exception {
        ClientSecretBasic app = new ClientSecretBasic(new ClientID("reporting-app"), new Secret("reporting-app-secret"));
        AccessTokenResponse first = success(oidc.token(new ResourceOwnerPasswordCredentialsGrant("alice",
                new Secret("alice-password")), app, "openid profile reports:read"));
        JWTClaimsSet claims = oidc.verify(first.getTokens().getAccessToken().getValue());

        // email is one of the realm's default scopes: Keycloak adds it, the mapper removes it
        assertThat(claims.getStringClaim("scope").split(" ")).containsExactlyInAnyOrder("openid", "profile", "reports:read");
        assertThat(claims.getClaim("email")).as("documented: the claims the email scope's own mappers added stay").isNotNull();
        assertThat(first.getTokens().getAccessToken().getScope().toString()).isEqualTo(claims.getStringClaim("scope"));
        assertThat(lifetime(claims)).isEqualTo(120);
        assertThat(first.getTokens().getAccessToken().getLifetime()).isEqualTo(120);
        assertThat(refreshExpiresIn(first)).isBetween(590L, 600L);
        assertThat(first.getTokens().getRefreshToken()).isNotNull();

        Map<String, Object> facts = claims.getJSONObjectClaim("issuance");
        assertThat(facts).containsEntry("grant_type", "password").containsEntry("client_id", "reporting-app")
                .containsEntry("owner", admin.userId(realm.name(), "alice")).containsEntry("purpose", "monthly reporting")
                .containsEntry("expires_at", 1893456000L).doesNotContainKey("decision_id");

        JWTClaimsSet id = oidc.verify((String) first.getCustomParameters().get("id_token"));
        assertThat(id.getAudience()).containsExactly("reporting-app");
        assertThat(id.getExpirationTime()).isEqualTo(claims.getExpirationTime());
        assertThat(id.getJSONObjectClaim("issuance")).containsEntry("grant_type", "password");

        AccessTokenResponse refreshed = success(oidc.token(new RefreshTokenGrant(first.getTokens().getRefreshToken()), app, null));
        JWTClaimsSet again = oidc.verify(refreshed.getTokens().getAccessToken().getValue());
        assertThat(again.getStringClaim("scope").split(" ")).containsExactlyInAnyOrder("openid", "profile", "reports:read");
        assertThat(refreshed.getTokens().getAccessToken().getScope().toString()).isEqualTo(again.getStringClaim("scope"));
        assertThat(lifetime(again)).isEqualTo(120);
        assertThat(refreshed.getTokens().getAccessToken().getLifetime()).isEqualTo(120);
        assertThat(again.getJSONObjectClaim("issuance")).containsEntry("grant_type", "refresh_token");
        // the refresh token itself was narrowed: its scope no longer names email
        assertThat(JWTParser.parse(first.getTokens().getRefreshToken().getValue()).getJWTClaimsSet()
                .getStringClaim("scope").split(" ")).doesNotContain("email");
    }

    @Test
    void aRefreshTokenKeepsItsNarrowingAfterTheMapperIsRemoved() throws Exception {
        String models = realm.path() + "/clients/" + admin.clientUuid(realm.name(), "dashboard-app") + "/protocol-mappers/models";
        String mapperUri = admin.post(models, mapper("dashboard scopes", "mintgate-scope-limit",
                Map.of("scopes", "reports:*"))).expect(201).location();
        ClientSecretBasic app = new ClientSecretBasic(new ClientID("dashboard-app"), new Secret("dashboard-app-secret"));
        AccessTokenResponse first = success(oidc.token(new ResourceOwnerPasswordCredentialsGrant("alice",
                new Secret("alice-password")), app, "openid reports:read"));
        assertThat(oidc.verify(first.getTokens().getAccessToken().getValue()).getStringClaim("scope").split(" "))
                .containsExactlyInAnyOrder("openid", "reports:read");

        admin.delete(URI.create(mapperUri).getPath()).expect(204);
        AccessTokenResponse fresh = success(oidc.token(new ResourceOwnerPasswordCredentialsGrant("alice",
                new Secret("alice-password")), app, "openid reports:read"));
        assertThat(oidc.verify(fresh.getTokens().getAccessToken().getValue()).getStringClaim("scope").split(" "))
                .as("a new login, without the mapper, gets the client's default scopes again").contains("profile", "email");

        AccessTokenResponse refreshed = success(oidc.token(new RefreshTokenGrant(first.getTokens().getRefreshToken()), app, null));
        JWTClaimsSet claims = oidc.verify(refreshed.getTokens().getAccessToken().getValue());
        assertThat(claims.getStringClaim("scope").split(" ")).containsExactlyInAnyOrder("openid", "reports:read");
        assertThat(refreshed.getTokens().getAccessToken().getScope().toString()).isEqualTo(claims.getStringClaim("scope"));
    }

    @Test
    void aMapperWithAnUnreadableSettingIsRefusedWithTheFieldNamed() {
        String models = realm.path() + "/clients/" + admin.clientUuid(realm.name(), "billing-api") + "/protocol-mappers/models";
        AdminApi.Response lifetime = admin.post(models, mapper("bad lifetime", "mintgate-lifetime-cap",
                Map.of("access.token.lifetime", "five minutes")));
        assertThat(lifetime.status()).isEqualTo(400);
        assertThat(lifetime.body()).contains("access.token.lifetime", "five minutes");

        AdminApi.Response scopes = admin.post(models, mapper("no scopes", "mintgate-scope-limit", Map.of()));
        assertThat(scopes.status()).isEqualTo(400);
        assertThat(scopes.body()).contains("scopes");

        AdminApi.Response claim = admin.post(models, mapper("shadowing", "mintgate-context-claims", Map.of("claim.name", "aud")));
        assertThat(claim.status()).isEqualTo(400);
        assertThat(claim.body()).contains("claim.name");
        assertThat(admin.get(models).expect(200).json()).as("nothing was saved").isEmpty();
    }

    private String createScope(String name) {
        admin.post(realm.path() + "/client-scopes", Map.of("name", name, "protocol", OIDC,
                "attributes", Map.of("include.in.token.scope", "true"))).expect(201);
        return scopeId(name);
    }

    private String scopeId(String name) {
        for (JsonNode scope : admin.get(realm.path() + "/client-scopes").expect(200).json()) {
            if (name.equals(scope.path("name").asText())) {
                return scope.path("id").asText();
            }
        }
        throw new AssertionError("no client scope " + name);
    }

    private void addOptionalScope(String clientId, String scopeId) {
        admin.put(realm.path() + "/clients/" + admin.clientUuid(realm.name(), clientId)
                + "/optional-client-scopes/" + scopeId, null).expect(204);
    }

    private static Map<String, Object> mapper(String name, String type, Map<String, String> config) {
        return Map.of("name", name, "protocol", OIDC, "protocolMapper", type, "config", config);
    }

    private static long lifetime(JWTClaimsSet claims) {
        return claims.getExpirationTime().toInstant().getEpochSecond() - claims.getIssueTime().toInstant().getEpochSecond();
    }

    private static long refreshExpiresIn(AccessTokenResponse response) {
        return ((Number) response.getCustomParameters().get("refresh_expires_in")).longValue();
    }

    private static AccessTokenResponse success(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected a token, got %s", response.indicatesSuccess() ? ""
                : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        return response.toSuccessResponse();
    }
}
