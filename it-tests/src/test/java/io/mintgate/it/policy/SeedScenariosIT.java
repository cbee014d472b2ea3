package io.mintgate.it.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditTrail;
import io.mintgate.it.harness.DocumentedPolicy;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import io.mintgate.it.harness.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed scenarios of docs/policy-reference.md, each against the policy exactly as documented (read from the doc),
 * on the real server: refused when the live context is wrong, minted when it is right. Plus what an admin relies on
 * around them: refresh re-evaluated after the owner or the policy changes, shadow mode, and bad policies refused
 * when saved.
 */
@MintgateIT
class SeedScenariosIT {

    private static final String GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
    private static final List<String> EXAMPLES = List.of("(a)", "(b)", "(c)", "(d)", "(e)");

    private AdminApi admin;
    private KeycloakRuntime keycloak;
    private RealmFixture realm;
    private OidcClient oidc;
    private TestIssuer github;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        this.keycloak = keycloak;
        realm = RealmFixture.create(admin, "scenarios.json");
        oidc = new OidcClient(keycloak, realm.name());
        github = new TestIssuer();
        admin.post(realm.path() + "/identity-provider/instances", Map.of(
                "alias", "github-actions", "providerId", "oidc", "enabled", true,
                "config", Map.of("issuer", GITHUB_ISSUER, "useJwksUrl", "true", "jwksUrl", github.jwksUrl(),
                        "validateSignature", "true", "supportsClientAssertions", "true",
                        "clientId", "unused", "clientSecret", "unused", "clientAuthMethod", "client_secret_post",
                        "authorizationUrl", GITHUB_ISSUER + "/authorize", "tokenUrl", GITHUB_ISSUER + "/token"))).expect(201);
        for (String scope : List.of("deploy", "tickets:read", "payments:write")) {
            admin.post(realm.path() + "/client-scopes", Map.of("name", scope, "protocol", "openid-connect",
                    "attributes", Map.of("include.in.token.scope", "true", "display.on.consent.screen", "false"))).expect(201);
        }
        attachOptionalScope("ci-runner", "deploy");
        attachOptionalScope("support-agent", "tickets:read");
        attachOptionalScope("support-agent", "payments:write");
        attachOptionalScope("partner-acme", "organization");
        organization("acme", "carol");
        organization("globex", "dave");
        saveProfile(documentedExecutors());
        admin.put(realm.path() + "/client-policies/policies", Map.of("policies", List.of(Map.of(
                "name", "mintgate-scenarios", "enabled", true,
                "conditions", List.of(Map.of("condition", "any-client", "configuration", Map.of())),
                "profiles", List.of("scenarios"))))).expect(204);
    }

    @AfterAll
    void tearDown() {
        if (github != null) {
            github.close();
        }
        if (realm != null) {
            realm.close();
        }
    }

    // (a) CI runner: deployment token only from the approved repository, branch and environment

    @Test
    void ciRunnerGetsADeploymentTokenWhenItsWorkloadAssertionProvesTheApprovedRepoBranchAndEnvironment() throws Exception {
        JWTClaimsSet claims = minted(ciRunner("refs/heads/main", "production"));
        assertThat(claims.getStringClaim("scope")).contains("deploy");
    }

    @Test
    void ciRunnerIsRefusedADeploymentTokenFromAnotherBranch() {
        refused(ciRunner("refs/heads/feature-x", "production"), "workload_mismatch");
    }

    // (b) AI agent: nothing outside its approved tools

    @Test
    void aiAgentGetsItsApprovedTool() throws Exception {
        JWTClaimsSet claims = minted(oidc.clientCredentials("support-agent", "support-agent-secret", "tickets:read"));
        assertThat(claims.getStringClaim("scope")).isEqualTo("tickets:read");
    }

    @Test
    void aiAgentIsRefusedAToolOutsideItsAllowList() {
        refused(oidc.clientCredentials("support-agent", "support-agent-secret", "payments:write"), "outside_approved_tools");
    }

    // (c) partner integration: its own tenant only

    @Test
    void partnerGetsATokenForAUserOfItsOwnOrganization() {
        JWTClaimsSet claims = minted(partnerPassword("carol"));
        assertThat(claims.getClaim("organization").toString()).contains("acme");
    }

    @Test
    void partnerIsRefusedATokenForAUserOfAnotherOrganization() {
        refused(partnerPassword("dave"), "wrong_tenant");
    }

    // (d) service-account refresh only from its expected network

    @Test
    void serviceAccountRefreshIsAllowedFromItsExpectedNetwork() {
        minted(oidc.token(new RefreshTokenGrant(refreshTokenOf("sync-local")), basic("sync-local"), null));
    }

    @Test
    void serviceAccountRefreshIsRefusedFromOutsideItsExpectedNetwork() {
        RefreshToken refresh = refreshTokenOf("sync-remote");
        refused(oidc.token(new RefreshTokenGrant(refresh), basic("sync-remote"), null), "unexpected_network");
    }

    // (e) owner inactive, identity expired

    @Test
    void tokensAndRefreshStopWhileTheOwnerIsDisabledAndResumeWhenReEnabled() {
        RefreshToken refresh = refreshTokenOf("billing-sync");
        setEnabled("bob", false);
        try {
            refused(oidc.clientCredentials("billing-sync", "billing-sync-secret", null), "owner_inactive");
            refused(oidc.token(new RefreshTokenGrant(refresh), basic("billing-sync"), null), "owner_inactive");
        } finally {
            setEnabled("bob", true);
        }
        minted(oidc.clientCredentials("billing-sync", "billing-sync-secret", null));
    }

    @Test
    void anExpiredIdentityIsRefused() {
        refused(oidc.clientCredentials("expired-bot", "expired-bot-secret", null), "nhi_expired");
    }

    // live policy changes, shadow mode, validation

    @Test
    void refreshIsRefusedOnceThePolicyChangesAfterTheRefreshTokenWasIssued() {
        RefreshToken refresh = refreshTokenOf("report-bot");
        List<Map<String, Object>> executors = documentedExecutors();
        executors.add(executor("{\"rules\": [{\"name\": \"retire-report-bot\", \"deny\": \"client.clientId == 'report-bot'\","
                + " \"reason\": \"retired\", \"message\": \"report-bot has been retired\"}]}"));
        saveProfile(executors);
        try {
            refused(oidc.token(new RefreshTokenGrant(refresh), basic("report-bot"), null), "retired");
        } finally {
            saveProfile(documentedExecutors());
        }
    }

    @Test
    void aShadowRuleMintsTheTokenAndRecordsTheWouldBeDenial() {
        List<Map<String, Object>> executors = documentedExecutors();
        executors.add(executor("{\"rules\": [{\"name\": \"agent-shadow\", \"mode\": \"shadow\","
                + " \"deny\": \"client.clientId == 'support-agent'\", \"reason\": \"would_block\"}]}"));
        saveProfile(executors);
        JWTClaimsSet claims;
        try {
            claims = minted(oidc.clientCredentials("support-agent", "support-agent-secret", "tickets:read"));
        } finally {
            saveProfile(documentedExecutors());
        }
        JsonNode record = new AuditTrail(keycloak).await("for the shadow-evaluated token " + claims.getJWTID(),
                r -> claims.getJWTID().equals(r.at("/data/tokenId").asText()));
        assertThat(record.at("/type").asText()).endsWith("issued");
        assertThat(record.at("/data/decision/outcome").asText()).isEqualTo("allow");
        assertThat(record.at("/data/decision/shadowDenials").toString()).contains("agent-shadow:would_block");
    }

    @Test
    void aRuleThatFailsToEvaluateIsNamedInTheAuditRecordAndExplainedInTheServerLog() {
        // support-agent has no 'team' attribute: reading it without [?] is an evaluation error on every request
        String failing = "client.attributes['team'] == 'payments'";
        List<Map<String, Object>> lenient = documentedExecutors();
        lenient.add(executor("{\"rules\": [{\"name\": \"team-check-lenient\", \"onError\": \"allow\", \"deny\": \""
                + failing + "\", \"reason\": \"wrong_team\"}]}"));
        List<Map<String, Object>> strict = documentedExecutors();
        strict.add(executor("{\"rules\": [{\"name\": \"team-check-strict\", \"deny\": \"" + failing
                + "\", \"reason\": \"wrong_team\"}]}"));
        JWTClaimsSet claims;
        TokenResponse refusal;
        try {
            saveProfile(lenient);
            claims = minted(oidc.clientCredentials("support-agent", "support-agent-secret", "tickets:read"));
            saveProfile(strict);
            refusal = oidc.clientCredentials("support-agent", "support-agent-secret", "tickets:read");
        } finally {
            saveProfile(documentedExecutors());
        }
        refused(refusal, "policy_error");
        assertThat(refusal.toErrorResponse().getErrorObject().getDescription()).as("the client never sees the error")
                .doesNotContain("team", "rules[0]");

        AuditTrail trail = new AuditTrail(keycloak);
        JsonNode issued = trail.await("for the token minted despite a failing rule " + claims.getJWTID(),
                r -> claims.getJWTID().equals(r.at("/data/tokenId").asText()));
        assertThat(issued.at("/data/decision/outcome").asText()).isEqualTo("allow");
        assertThat(issued.at("/data/decision/ruleErrors").toString()).isEqualTo("[\"team-check-lenient\"]");
        JsonNode denied = trail.await("for the refusal by the failing strict rule",
                r -> "team-check-strict".equals(r.at("/data/decision/rule").asText()));
        assertThat(denied.at("/type").asText()).endsWith("denied");
        assertThat(denied.at("/data/decision/reason").asText()).isEqualTo("policy_error");
        assertThat(denied.at("/data/decision/ruleErrors").toString()).isEqualTo("[\"team-check-strict\"]");

        String log = keycloak.log();
        String realmName = Pattern.quote(realm.name());
        assertThat(log).containsPattern("WARN .*issuance-authorizer rule 'team-check-lenient' in realm " + realmName
                + " failed to evaluate for client support-agent \\(decision [0-9a-f-]{36}; onError allow: rule skipped\\): "
                + "rules\\[0\\]\\.deny: .*team");
        assertThat(log).containsPattern("WARN .*issuance-authorizer rule 'team-check-strict' in realm " + realmName
                + " failed to evaluate for client support-agent \\(decision [0-9a-f-]{36}; onError deny: token refused"
                + " with policy_error\\): rules\\[0\\]\\.deny: .*team");
    }

    @Test
    void savingAPolicyWithATypeErrorIsRefusedWith400NamingTheRuleFieldAndPosition() {
        List<Map<String, Object>> executors = documentedExecutors();
        executors.add(executor("{\"rules\": [{\"name\": \"typo\", \"deny\": \"client.clientid == 'x'\", \"reason\": \"typo\"}]}"));
        AdminApi.Response response = admin.put(realm.path() + "/client-policies/profiles", profiles(executors));

        assertThat(response.status()).isEqualTo(400);
        String message = response.json().path("errorMessage").asText(response.body());
        assertThat(message).contains("rules[0].deny", "typo", "line 1, column").containsIgnoringCase("clientid");
        // and nothing was saved: the documented policies still decide
        refused(oidc.clientCredentials("expired-bot", "expired-bot-secret", null), "nhi_expired");
    }

    @Test
    void savingAConditionWithASyntaxErrorIsRefusedWith400NamingThePosition() {
        AdminApi.Response response = admin.put(realm.path() + "/client-policies/policies", Map.of("policies", List.of(Map.of(
                "name", "broken", "enabled", true,
                "conditions", List.of(Map.of("condition", "issuance-context", "configuration",
                        Map.of("expression", "grant.type == ("))),
                "profiles", List.of("scenarios")))));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errorMessage").asText(response.body())).contains("expression", "line 1, column");
    }

    // helpers

    private TokenResponse ciRunner(String ref, String environment) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("repository", "acme/app");
        claims.put("ref", ref);
        claims.put("environment", environment);
        String assertion = github.sign(GITHUB_ISSUER, "repo:acme/app:environment:production", oidc.realmUri().toString(), claims);
        return oidc.tokenWithForm(Map.of("grant_type", "client_credentials", "scope", "deploy",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion));
    }

    private TokenResponse partnerPassword(String username) {
        return oidc.token(new ResourceOwnerPasswordCredentialsGrant(username, new Secret(username + "-password")),
                basic("partner-acme"), "openid organization");
    }

    private RefreshToken refreshTokenOf(String clientId) {
        TokenResponse response = oidc.clientCredentials(clientId, clientId + "-secret", null);
        assertThat(response.indicatesSuccess()).as("prerequisite token for %s", clientId).isTrue();
        RefreshToken refresh = response.toSuccessResponse().getTokens().getRefreshToken();
        assertThat(refresh).as("refresh token for %s (client_credentials.use_refresh_token)", clientId).isNotNull();
        return refresh;
    }

    private JWTClaimsSet minted(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected a token, got %s", response.indicatesSuccess() ? ""
                : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        return oidc.verify(response.toSuccessResponse().getTokens().getAccessToken().getValue());
    }

    private static void refused(TokenResponse response, String reason) {
        assertThat(response.indicatesSuccess()).as("expected a refusal (%s) but a token was minted", reason).isFalse();
        ErrorObject error = response.toErrorResponse().getErrorObject();
        assertThat(error.getCode()).isEqualTo("access_denied");
        assertThat(error.getDescription()).containsPattern("\\(reason: " + reason + ", decision: [0-9a-f-]{36}\\)$");
    }

    private static ClientSecretBasic basic(String clientId) {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
    }

    private List<Map<String, Object>> documentedExecutors() {
        List<Map<String, Object>> executors = new ArrayList<>();
        for (String example : EXAMPLES) {
            executors.add(executor(DocumentedPolicy.example(example)));
        }
        return executors;
    }

    private static Map<String, Object> executor(String policy) {
        return Map.of("executor", "issuance-authorizer", "configuration", Map.of("policy", policy));
    }

    private static Map<String, Object> profiles(List<Map<String, Object>> executors) {
        return Map.of("profiles", List.of(Map.of("name", "scenarios", "executors", executors)));
    }

    private void saveProfile(List<Map<String, Object>> executors) {
        admin.put(realm.path() + "/client-policies/profiles", profiles(executors)).expect(204);
    }

    private void organization(String alias, String member) {
        String location = admin.post(realm.path() + "/organizations", Map.of("name", alias, "alias", alias,
                "enabled", true, "domains", List.of(Map.of("name", alias + ".test")))).expect(201).location();
        String id = location.substring(location.lastIndexOf('/') + 1);
        admin.post(realm.path() + "/organizations/" + id + "/members",
                "\"" + admin.userId(realm.name(), member) + "\"").expect(201);
    }

    /**
     * Scopes are created and attached after import: a realm JSON that lists clientScopes replaces Keycloak's
     * built-in ones (organization, profile, roles, ...).
     */
    private void attachOptionalScope(String clientId, String scopeName) {
        String scopeId = null;
        for (JsonNode scope : admin.get(realm.path() + "/client-scopes").expect(200).json()) {
            if (scopeName.equals(scope.path("name").asText())) {
                scopeId = scope.path("id").asText();
            }
        }
        assertThat(scopeId).as("client scope %s", scopeName).isNotNull();
        admin.put(realm.path() + "/clients/" + admin.clientUuid(realm.name(), clientId) + "/optional-client-scopes/" + scopeId,
                null).expect(204);
    }

    private void setEnabled(String username, boolean enabled) {
        String id = admin.userId(realm.name(), username);
        JsonNode user = admin.get(realm.path() + "/users/" + id).expect(200).json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) user).put("enabled", enabled);
        admin.put(realm.path() + "/users/" + id, user).expect(204);
    }
}
