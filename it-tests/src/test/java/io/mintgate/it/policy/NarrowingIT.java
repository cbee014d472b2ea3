package io.mintgate.it.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditTrail;
import io.mintgate.it.harness.DocumentedPolicy;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Narrowing at mint on the real server: the token is signed (verified against the realm JWKS) with exactly the
 * narrowed scope, audience, roles and lifetime, and the response's {@code scope} / {@code expires_in} match it.
 */
@MintgateIT
class NarrowingIT {

    /** Narrows below the orchestrator's static roles, and the reporting app's password grant to two scopes. */
    private static final String ORCHESTRATION_POLICY = """
            {"rules": [
              {"name": "orchestrator-reads-jobs-only", "match": "client.clientId == 'orchestrator'", "allowIf": "true",
               "reason": "least_privilege", "obligations": {"keepRoles": "['jobs-read']"}},
              {"name": "reporting-app-profile-only", "match": "client.clientId == 'reporting-app' && grant.type == 'password'",
               "allowIf": "true", "reason": "least_privilege", "obligations": {"keepScopes": "['openid', 'profile']"}}
            ]}""";

    private AdminApi admin;
    private KeycloakRuntime keycloak;
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        this.keycloak = keycloak;
        realm = RealmFixture.create(admin, "narrowing.json");
        oidc = new OidcClient(keycloak, realm.name());
        for (String scope : List.of("billing:read", "billing:write")) {
            admin.post(realm.path() + "/client-scopes", Map.of("name", scope, "protocol", "openid-connect",
                    "attributes", Map.of("include.in.token.scope", "true"))).expect(201);
            String scopeId = admin.get(realm.path() + "/client-scopes").json().findParents("name").stream()
                    .filter(n -> scope.equals(n.path("name").asText())).findFirst().orElseThrow().path("id").asText();
            admin.put(realm.path() + "/clients/" + admin.clientUuid(realm.name(), "billing-agent")
                    + "/optional-client-scopes/" + scopeId, null).expect(204);
        }
        String billingPolicy = DocumentedPolicy.example("Narrowing: an AI agent calling the billing API");
        realm.applyIssuancePolicies("narrowing", billingPolicy, ORCHESTRATION_POLICY);
    }

    @AfterAll
    void tearDown() {
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    void anAgentCallingTheBillingApiGetsOnlyThatAudienceReadOnlyScopesFiveMinutesAndNoRefreshToken() throws Exception {
        AccessTokenResponse response = success(oidc.clientCredentials("billing-agent", "billing-agent-secret",
                "billing:read billing:write"));
        JWTClaimsSet claims = oidc.verify(response.getTokens().getAccessToken().getValue());

        assertThat(claims.getAudience()).containsExactly("billing-api");
        assertThat(claims.getStringClaim("scope")).isEqualTo("billing:read");
        long lifetime = claims.getExpirationTime().toInstant().getEpochSecond() - claims.getIssueTime().toInstant().getEpochSecond();
        assertThat(lifetime).isEqualTo(300);
        assertThat(response.getTokens().getRefreshToken()).as("refresh token").isNull();
        // the response describes the token it carries
        assertThat(response.getTokens().getAccessToken().getScope().toString()).isEqualTo("billing:read");
        assertThat(response.getTokens().getAccessToken().getLifetime()).isBetween(295L, 300L);

        JsonNode record = new AuditTrail(keycloak).await("for the narrowed billing token",
                r -> claims.getJWTID().equals(r.at("/data/tokenId").asText()));
        assertThat(record.at("/data/decision/narrowed").asText())
                .contains("scope:-billing:write", "aud:-crm-api", "exp:300s", "refresh_token:-");
    }

    @Test
    void anOrchestratorGetsRolesNarrowerThanItsStaticRoleMappings() throws Exception {
        JWTClaimsSet claims = oidc.verify(success(oidc.clientCredentials("orchestrator", "orchestrator-secret", null))
                .getTokens().getAccessToken().getValue());
        @SuppressWarnings("unchecked")
        List<String> realmRoles = (List<String>) claims.getJSONObjectClaim("realm_access").get("roles");
        assertThat(realmRoles).containsExactly("jobs-read");
    }

    @Test
    void aNarrowedRefreshTokenNeverYieldsABroaderTokenEvenWhenAskedForMore() throws Exception {
        ClientSecretBasic app = new ClientSecretBasic(new ClientID("reporting-app"), new Secret("reporting-app-secret"));
        AccessTokenResponse first = success(oidc.token(new ResourceOwnerPasswordCredentialsGrant("alice",
                new Secret("alice-password")), app, "openid profile email"));
        assertThat(oidc.verify(first.getTokens().getAccessToken().getValue()).getStringClaim("scope")).isEqualTo("openid profile");
        assertThat(first.getTokens().getAccessToken().getScope().toString()).isEqualTo("openid profile");

        TokenResponse refreshed = oidc.token(new RefreshTokenGrant(first.getTokens().getRefreshToken()), app, null);
        String refreshedScope = oidc.verify(success(refreshed).getTokens().getAccessToken().getValue()).getStringClaim("scope");
        assertThat(refreshedScope.split(" ")).containsExactlyInAnyOrder("openid", "profile");

        // asking for the removed scope on refresh is refused or ignored, never granted
        TokenResponse escalation = oidc.token(new RefreshTokenGrant(first.getTokens().getRefreshToken()), app,
                "openid profile email");
        if (escalation.indicatesSuccess()) {
            String scope = oidc.verify(escalation.toSuccessResponse().getTokens().getAccessToken().getValue()).getStringClaim("scope");
            assertThat(scope).doesNotContain("email");
        } else {
            assertThat(escalation.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_scope");
        }
    }

    private static AccessTokenResponse success(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected a token, got %s", response.indicatesSuccess() ? ""
                : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        return response.toSuccessResponse();
    }
}
