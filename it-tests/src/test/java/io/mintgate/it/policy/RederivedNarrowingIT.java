package io.mintgate.it.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Everywhere Keycloak re-derives a token from its mappers, scopes and role mappings instead of reading the token —
 * introspection (JWT and lightweight access tokens), userinfo, the ID token built beside the access token, refresh,
 * and a token exchange whose subject token was narrowed — the answer is no broader than the narrowed access token
 * (realm {@code narrowing-per-grant.json}: keep scope {@code orders:read}, audiences {@code api-a} and
 * {@code exchanger}, realm role {@code reader}, at most 120 s). Every comparison is with the verified narrowed token.
 */
@MintgateIT
class RederivedNarrowingIT {

    private static final String REQUESTED = "openid orders:read orders:write";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminApi admin;
    private KeycloakRuntime keycloak;
    private RealmFixture realm;
    private OidcClient oidc;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        this.keycloak = keycloak;
        realm = RealmFixture.create(admin, "narrowing-per-grant.json");
        oidc = new OidcClient(keycloak, realm.name());
        admin.post(realm.path() + "/clients", Map.of("clientId", "light", "enabled", true, "publicClient", false,
                "secret", "light-secret", "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
                "attributes", Map.of("client.use.lightweight.access.token.enabled", "true"))).expect(201);
        String read = realm.createClientScope("orders:read", List.of());
        String write = realm.createClientScope("orders:write", List.of());
        String apis = realm.createClientScope("apis",
                List.of(RealmFixture.audienceMapper("api-a"), RealmFixture.audienceMapper("api-b")));
        for (String client : List.of("app", "portal", "exchanger", "light")) {
            realm.attachClientScope(client, apis, "default");
            realm.attachClientScope(client, read, "optional");
            realm.attachClientScope(client, write, "optional");
        }
    }

    @AfterAll
    void tearDown() {
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    void introspectionOfANarrowedJwtAccessTokenDescribesThatToken() throws Exception {
        String accessToken = password("app").getTokens().getAccessToken().getValue();
        JWTClaimsSet token = oidc.verify(accessToken);
        assertThat(realmRoles(token)).as("the policy removed a role").doesNotContain("writer");

        JsonNode answer = introspect(accessToken, "api-a");

        assertThat(answer.path("active").asBoolean()).as("active in %s", answer).isTrue();
        assertThat(values(answer.path("aud"))).as("aud").containsExactlyInAnyOrderElementsOf(audiences(token));
        assertThat(values(answer.at("/realm_access/roles"))).as("realm roles").containsExactlyInAnyOrderElementsOf(realmRoles(token));
        assertThat(answer.has("resource_access")).as("resource_access").isEqualTo(token.getClaim("resource_access") != null);
        assertThat(scopes(answer.path("scope").asText())).as("scope").isEqualTo(scopes(token.getStringClaim("scope")));
        assertThat(answer.path("exp").asLong()).as("exp").isEqualTo(token.getExpirationTime().toInstant().getEpochSecond());
        // Keycloak's own check: the introspecting client must be in the token's aud; narrowing removed api-b
        assertThat(audiences(token)).doesNotContain("api-b");
        assertThat(introspect(accessToken, "api-b").path("active").asBoolean()).as("introspected by api-b").isFalse();
    }

    /**
     * A lightweight access token carries no audience and no roles: introspection is where a resource server learns them,
     * so they must be those the same request would have put into a full token — compared with the JWT access token
     * the same policy gave another client with the same scopes.
     */
    @Test
    void introspectionOfANarrowedLightweightAccessTokenIsNarrowedLikeTheFullToken() throws Exception {
        String lightweight = password("light").getTokens().getAccessToken().getValue();
        JWTClaimsSet lightClaims = oidc.verify(lightweight);
        assertThat(lightClaims.getAudience()).as("a lightweight token has no aud").isEmpty();
        assertThat(lightClaims.getClaim("realm_access")).as("a lightweight token has no roles").isNull();
        JWTClaimsSet full = oidc.verify(password("app").getTokens().getAccessToken().getValue());

        JsonNode answer = introspect(lightweight, "api-a");

        assertThat(answer.path("active").asBoolean()).as("active in %s", answer).isTrue();
        assertThat(values(answer.path("aud"))).as("aud").containsExactlyInAnyOrderElementsOf(audiences(full));
        assertThat(values(answer.at("/realm_access/roles"))).as("realm roles").containsExactlyInAnyOrderElementsOf(realmRoles(full));
        assertThat(answer.has("resource_access")).as("resource_access").isEqualTo(full.getClaim("resource_access") != null);
        assertThat(scopes(answer.path("scope").asText())).as("scope").isEqualTo(scopes(lightClaims.getStringClaim("scope")));
        assertThat(answer.path("exp").asLong()).as("exp").isEqualTo(lightClaims.getExpirationTime().toInstant().getEpochSecond());
    }

    /** The user has an e-mail address and a name; the narrowed token has neither the email nor the profile scope. */
    @Test
    void userinfoOfANarrowedTokenHasNoClaimsOfTheScopesNarrowingRemoved() throws Exception {
        String accessToken = password("app").getTokens().getAccessToken().getValue();
        JWTClaimsSet token = oidc.verify(accessToken);
        Set<String> tokenScopes = scopes(token.getStringClaim("scope"));
        assertThat(tokenScopes).as("narrowing removed the default scopes").doesNotContain("email", "profile");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(oidc.realmUri() + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + accessToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("userinfo: %s", response.body()).isEqualTo(200);
        JsonNode userinfo = JSON.readTree(response.body());

        assertThat(userinfo.path("sub").asText()).isEqualTo(token.getSubject());
        assertThat(userinfo.has("email")).as("email claim (scope email) in %s", userinfo).isFalse();
        assertThat(userinfo.has("email_verified")).as("email_verified claim (scope email)").isFalse();
        assertThat(userinfo.has("preferred_username")).as("preferred_username claim (scope profile)").isFalse();
        assertThat(userinfo.has("name")).as("name claim (scope profile)").isFalse();
        assertThat(userinfo.has("given_name")).as("given_name claim (scope profile)").isFalse();
    }

    @Test
    void theIdTokenDoesNotOutliveTheNarrowedAccessToken() throws Exception {
        AccessTokenResponse response = password("app");
        JWTClaimsSet access = oidc.verify(response.getTokens().getAccessToken().getValue());
        JWTClaimsSet id = oidc.verify(idToken(response));

        assertThat(id.getExpirationTime()).as("ID token exp").isBeforeOrEqualTo(access.getExpirationTime());
        assertThat(id.getExpirationTime().toInstant().getEpochSecond() - id.getIssueTime().toInstant().getEpochSecond())
                .as("ID token lifetime").isLessThanOrEqualTo(lifetime(access));
    }

    /**
     * The policy is lifted between the first token and its refresh: what the refresh token carries still narrows the
     * refreshed access token, and the refreshed ID token, introspection and all, to the first token.
     */
    @Test
    void aRefreshAfterThePolicyIsLiftedIsNoBroaderThanTheFirstTokenIdTokenIncluded() throws Exception {
        AccessTokenResponse first = password("app");
        JWTClaimsSet firstToken = oidc.verify(first.getTokens().getAccessToken().getValue());
        withPolicyLifted(() -> {
            AccessTokenResponse refreshed = success(oidc.token(
                    new RefreshTokenGrant(first.getTokens().getRefreshToken()), client("app"), REQUESTED));
            JWTClaimsSet access = oidc.verify(refreshed.getTokens().getAccessToken().getValue());
            assertNoBroader(access, firstToken);
            JWTClaimsSet id = oidc.verify(idToken(refreshed));
            assertThat(id.getExpirationTime()).as("refreshed ID token exp").isBeforeOrEqualTo(access.getExpirationTime());

            JsonNode answer = introspect(refreshed.getTokens().getAccessToken().getValue(), "api-a");
            assertThat(values(answer.path("aud"))).as("introspected aud").isSubsetOf(audiences(firstToken));
            assertThat(values(answer.at("/realm_access/roles"))).as("introspected roles").isSubsetOf(realmRoles(firstToken));
        });
    }

    /**
     * The policy is lifted before the exchange, so only what the subject token carries can narrow the exchanged token:
     * it is no broader than the subject token, and the ID token issued with it does not outlive it.
     */
    @Test
    void aTokenExchangeOfANarrowedSubjectTokenIsNoBroaderThanTheSubjectToken() throws Exception {
        AccessTokenResponse subject = password("portal");
        JWTClaimsSet subjectToken = oidc.verify(subject.getTokens().getAccessToken().getValue());
        assertThat(audiences(subjectToken)).as("the exchanger may exchange it").contains("exchanger");
        withPolicyLifted(() -> {
            TokenExchangeGrant grant = new TokenExchangeGrant(
                    new BearerAccessToken(subject.getTokens().getAccessToken().getValue()), TokenTypeURI.ACCESS_TOKEN);
            AccessTokenResponse exchanged = success(oidc.token(grant, client("exchanger"), REQUESTED));
            JWTClaimsSet access = oidc.verify(exchanged.getTokens().getAccessToken().getValue());
            assertNoBroader(access, subjectToken);
            // asked with openid: Keycloak builds an ID token too, before the post-processor narrows the access token
            JWTClaimsSet id = oidc.verify(idToken(exchanged));
            assertThat(id.getExpirationTime()).as("exchanged ID token exp").isBeforeOrEqualTo(access.getExpirationTime());
        });
    }

    // assertions

    private static void assertNoBroader(JWTClaimsSet token, JWTClaimsSet narrowed) throws Exception {
        assertThat(scopes(token.getStringClaim("scope"))).as("scope").isSubsetOf(scopes(narrowed.getStringClaim("scope")));
        assertThat(audiences(token)).as("aud").isSubsetOf(audiences(narrowed));
        assertThat(realmRoles(token)).as("realm roles").isSubsetOf(realmRoles(narrowed));
        assertThat(clientRoles(token)).as("client roles").isSubsetOf(clientRoles(narrowed));
        assertThat(lifetime(token)).as("exp - iat").isLessThanOrEqualTo(lifetime(narrowed));
    }

    private static Set<String> scopes(String scope) {
        return scope == null ? Set.of() : Arrays.stream(scope.trim().split("\\s+")).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    private static List<String> audiences(JWTClaimsSet claims) {
        return claims.getAudience() == null ? List.of() : claims.getAudience();
    }

    @SuppressWarnings("unchecked")
    private static List<String> realmRoles(JWTClaimsSet claims) {
        Object realmAccess = claims.getClaim("realm_access");
        return realmAccess instanceof Map<?, ?> access && access.get("roles") instanceof List<?> roles
                ? (List<String>) roles : List.of();
    }

    /** {@code client:role} for every client role. */
    private static Set<String> clientRoles(JWTClaimsSet claims) {
        Object resourceAccess = claims.getClaim("resource_access");
        if (!(resourceAccess instanceof Map<?, ?> clients)) {
            return Set.of();
        }
        return clients.entrySet().stream()
                .flatMap(e -> e.getValue() instanceof Map<?, ?> access && access.get("roles") instanceof List<?> roles
                        ? roles.stream().map(r -> e.getKey() + ":" + r) : java.util.stream.Stream.empty())
                .collect(Collectors.toSet());
    }

    private static long lifetime(JWTClaimsSet claims) {
        return claims.getExpirationTime().toInstant().getEpochSecond() - claims.getIssueTime().toInstant().getEpochSecond();
    }

    /** A JSON string or array as a list (Keycloak writes a single audience as a string). */
    private static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> values.add(v.asText()));
        } else if (node.isTextual()) {
            values.add(node.asText());
        }
        return values;
    }

    // requests

    private AccessTokenResponse password(String clientId) {
        return success(oidc.token(new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-password")),
                client(clientId), REQUESTED));
    }

    private static String idToken(AccessTokenResponse response) {
        Object idToken = response.getCustomParameters().get("id_token");
        assertThat(idToken).as("id_token in the response").isNotNull();
        return idToken.toString();
    }

    private static AccessTokenResponse success(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected a token, got %s", response.indicatesSuccess() ? ""
                : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        return response.toSuccessResponse();
    }

    /** RFC 7662 introspection, authenticated as {@code clientId} (which Keycloak requires to be in the token's aud). */
    private JsonNode introspect(String token, String clientId) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientId + "-secret").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(oidc.realmUri() + "/protocol/openid-connect/token/introspect"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("introspection: %s", response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static ClientSecretBasic client(String clientId) {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
    }

    // realm setup

    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
    }

    /** Runs {@code check} while the realm's policy allows everything with no narrowing; restores it afterwards. */
    private void withPolicyLifted(Check check) throws Exception {
        JsonNode profiles = admin.get(realm.path() + "/client-policies/profiles").expect(200).json();
        JsonNode policies = admin.get(realm.path() + "/client-policies/policies").expect(200).json();
        realm.applyIssuancePolicies("narrowing", "{\"rules\": []}");
        try {
            check.run();
        } finally {
            admin.put(realm.path() + "/client-policies/profiles", profiles).expect(204);
            admin.put(realm.path() + "/client-policies/policies", policies).expect(204);
        }
    }
}
