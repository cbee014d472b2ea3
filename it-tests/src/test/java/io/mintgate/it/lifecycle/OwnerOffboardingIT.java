package io.mintgate.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.Tokens;
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
 * Offboarding an NHI owner on the real server. Two separate guarantees: (1) with the documented owner policy, the
 * very next mint or refresh of EVERY identity the owner holds is refused while they are disabled, and allowed again
 * once re-enabled; (2) with revocation enabled for the realm, disabling the owner also takes back what those
 * identities already hold — access tokens fail introspection, refresh and offline tokens stop working even after
 * the owner is re-enabled — while other owners' identities are untouched, and each revocation is audited.
 */
@MintgateIT
class OwnerOffboardingIT {

    private AdminApi admin;
    private KeycloakRuntime keycloak;
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        this.keycloak = keycloak;
        realm = RealmFixture.create(admin, "offboarding.json");
        oidc = new OidcClient(keycloak, realm.name());
        realm.applyIssuancePolicies("owners", DocumentedPolicy.example("(e)"));
    }

    @AfterAll
    void tearDown() {
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    void disablingTheOwnerRefusesTheNextMintAndRefreshOfEveryOwnedIdentityUntilReEnabled() {
        // Revocation would also kill the refresh tokens; this test is about the live policy check alone.
        setRealmRevocation(false);
        try {
            Tokens etl = minted(oidc.clientCredentials("etl-bot", "etl-bot-secret", null));
            Tokens report = minted(oidc.clientCredentials("report-bot", "report-bot-secret", null));
            setEnabled("bob", false);
            try {
                for (String bot : List.of("etl-bot", "report-bot")) {
                    refused(oidc.clientCredentials(bot, bot + "-secret", null), "owner_inactive");
                }
                refused(oidc.token(new RefreshTokenGrant(etl.getRefreshToken()), basic("etl-bot"), null), "owner_inactive");
                refused(oidc.token(new RefreshTokenGrant(report.getRefreshToken()), basic("report-bot"), null), "owner_inactive");
                // Another owner's identity is not affected.
                minted(oidc.clientCredentials("carol-bot", "carol-bot-secret", null));
            } finally {
                setEnabled("bob", true);
            }
            minted(oidc.clientCredentials("etl-bot", "etl-bot-secret", null));
            minted(oidc.token(new RefreshTokenGrant(etl.getRefreshToken()), basic("etl-bot"), null));
            minted(oidc.token(new RefreshTokenGrant(report.getRefreshToken()), basic("report-bot"), null));
        } finally {
            setRealmRevocation(true);
        }
    }

    @Test
    void withRevocationDisablingTheOwnerRevokesWhatTheirIdentitiesHoldAndAuditsIt() throws Exception {
        Tokens etl = minted(oidc.clientCredentials("etl-bot", "etl-bot-secret", null));
        Tokens assistantOffline = minted(oidc.token(new ResourceOwnerPasswordCredentialsGrant("alice",
                new Secret("alice-password")), basic("assistant"), "offline_access"));
        Tokens carol = minted(oidc.clientCredentials("carol-bot", "carol-bot-secret", null));
        assertThat(active(etl.getAccessToken(), "etl-bot")).isTrue();
        assertThat(active(assistantOffline.getAccessToken(), "assistant")).isTrue();

        setEnabled("bob", false);
        setEnabled("bob", true);

        // Owner is active again, so the policy would allow: what fails now fails because it was revoked.
        assertThat(active(etl.getAccessToken(), "etl-bot")).as("etl-bot access token after revocation").isFalse();
        assertThat(active(assistantOffline.getAccessToken(), "assistant")).as("assistant access token after revocation").isFalse();
        invalidGrant(oidc.token(new RefreshTokenGrant(etl.getRefreshToken()), basic("etl-bot"), null));
        invalidGrant(oidc.token(new RefreshTokenGrant(assistantOffline.getRefreshToken()), basic("assistant"), null));
        assertThat(active(carol.getAccessToken(), "carol-bot")).as("another owner's identity keeps its token").isTrue();
        minted(oidc.token(new RefreshTokenGrant(carol.getRefreshToken()), basic("carol-bot"), null));
        // New tokens are minted again for the re-enabled owner's identities.
        minted(oidc.clientCredentials("etl-bot", "etl-bot-secret", null));

        AuditTrail audit = new AuditTrail(keycloak);
        for (String bot : List.of("etl-bot", "report-bot", "assistant")) {
            JsonNode record = audit.await("revocation of " + bot, r -> r.at("/type").asText().endsWith("revoked")
                    && realm.name().equals(r.at("/data/realm").asText())
                    && bot.equals(r.at("/data/details/revoked_client").asText())
                    && "owner_disabled".equals(r.at("/data/details/reason").asText()));
            assertThat(record.at("/data/nhi/owner").asText()).isEqualTo(admin.userId(realm.name(), "bob"));
        }
        assertThat(audit.records()).noneMatch(r -> r.at("/type").asText().endsWith("revoked")
                && realm.name().equals(r.at("/data/realm").asText())
                && "carol-bot".equals(r.at("/data/details/revoked_client").asText()));
    }

    @Test
    void everyIssuanceRecordsTheIdentitysOwnerPurposeAndExpiry() {
        Tokens etl = minted(oidc.clientCredentials("report-bot", "report-bot-secret", null));
        String jti = oidc.verify(etl.getAccessToken().getValue()).getJWTID();
        JsonNode record = new AuditTrail(keycloak).await("issuance of " + jti,
                r -> jti.equals(r.at("/data/tokenId").asText()));
        assertThat(record.at("/type").asText()).endsWith("issued");
        assertThat(record.at("/data/nhi/owner").asText()).as("the owner's user id").isEqualTo(admin.userId(realm.name(), "bob"));
        assertThat(record.at("/data/nhi/purpose").asText()).isEqualTo("weekly reports");
        assertThat(record.at("/data/nhi/expiresAt").asText()).isEqualTo("2099-01-01T00:00:00Z");
    }

    @Test
    void theImportedRealmsOwnersWereSavedAsUserIds() {
        String clientId = admin.clientUuid(realm.name(), "etl-bot");
        assertThat(admin.get(realm.path() + "/clients/" + clientId).expect(200).json().at("/attributes/mintgate.owner").asText())
                .isEqualTo(admin.userId(realm.name(), "bob"));
    }

    @Test
    void aNewUserWhoTakesADeletedOwnersUsernameDoesNotOwnTheirIdentities() {
        String dana = createUser("dana");
        createIdentity("dana-bot", "dana"); // typed as a username, as an admin would
        assertThat(owner("dana-bot")).as("saved as the user id").isEqualTo(dana);
        minted(oidc.clientCredentials("dana-bot", "dana-bot-secret", null));

        admin.delete(realm.path() + "/users/" + dana).expect(204);
        String newDana = createUser("dana");
        assertThat(newDana).isNotEqualTo(dana);

        refused(oidc.clientCredentials("dana-bot", "dana-bot-secret", null), "owner_inactive");
        assertThat(owner("dana-bot")).as("still the deleted owner's id").isEqualTo(dana);
    }

    @Test
    void renamingTheOwnerKeepsTheirIdentitiesOwnedAndAllowed() {
        String erin = createUser("erin");
        createIdentity("erin-bot", "erin");
        minted(oidc.clientCredentials("erin-bot", "erin-bot-secret", null));

        JsonNode realmRep = admin.get(realm.path()).expect(200).json();
        ((ObjectNode) realmRep).put("editUsernameAllowed", true);
        admin.put(realm.path(), realmRep).expect(204);
        JsonNode user = admin.get(realm.path() + "/users/" + erin).expect(200).json();
        ((ObjectNode) user).put("username", "erin-renamed");
        admin.put(realm.path() + "/users/" + erin, user).expect(204);
        assertThat(admin.get(realm.path() + "/users/" + erin).expect(200).json().path("username").asText())
                .isEqualTo("erin-renamed");

        Tokens tokens = minted(oidc.clientCredentials("erin-bot", "erin-bot-secret", null));
        assertThat(owner("erin-bot")).isEqualTo(erin);
        // What a user owns: this server does not declare mintgate.owner searchable, so Keycloak refuses the search
        // (the documented fallback lists the clients and filters).
        AdminApi.Response search = admin.get(realm.path() + "/clients?q=mintgate.owner:" + erin);
        assertThat(search.status()).isEqualTo(400);
        assertThat(search.json().path("error_description").asText()).isEqualTo("Attributes [mintgate.owner] not allowed for search");
        String jti = oidc.verify(tokens.getAccessToken().getValue()).getJWTID();
        JsonNode record = new AuditTrail(keycloak).await("issuance of " + jti, r -> jti.equals(r.at("/data/tokenId").asText()));
        assertThat(record.at("/data/nhi/owner").asText()).isEqualTo(erin);
    }

    private String createUser(String username) {
        admin.post(realm.path() + "/users", Map.of("username", username, "enabled", true)).expect(201);
        return admin.userId(realm.name(), username);
    }

    private void createIdentity(String clientId, String owner) {
        admin.post(realm.path() + "/clients", Map.of("clientId", clientId, "enabled", true, "publicClient", false,
                "secret", clientId + "-secret", "serviceAccountsEnabled", true, "standardFlowEnabled", false,
                "attributes", Map.of("mintgate.owner", owner, "mintgate.purpose", "owner binding test"))).expect(201);
    }

    private String owner(String clientId) {
        return admin.get(realm.path() + "/clients/" + admin.clientUuid(realm.name(), clientId)).expect(200).json()
                .at("/attributes/mintgate.owner").asText();
    }

    /** Introspected by the client it was issued to: Keycloak 26.7 refuses introspection by a client outside the audience. */
    @Test
    void anIdentityInsideTheExpiryWarningWindowShowsInTheMetrics() throws Exception {
        // Default window: 14 days. Three days left: the mint is allowed and the metrics say how long remains.
        java.time.Instant expiresAt = java.time.Instant.now().plus(java.time.Duration.ofDays(3));
        String id = admin.clientUuid(realm.name(), "expiring-bot");
        JsonNode client = admin.get(realm.path() + "/clients/" + id).expect(200).json();
        ((ObjectNode) client.get("attributes")).put("mintgate.expires-at", expiresAt.toString());
        admin.put(realm.path() + "/clients/" + id, client).expect(204);

        minted(oidc.clientCredentials("expiring-bot", "expiring-bot-secret", null));

        String labels = "client=\"expiring-bot\",realm=\"" + realm.name() + "\"";
        String metrics = metrics();
        double secondsLeft = metricValue(metrics, "mintgate_nhi_expiry_seconds{" + labels + "}");
        assertThat(secondsLeft).as("seconds left").isBetween(3 * 86400.0 - 600, 3 * 86400.0);
        assertThat(metricValue(metrics, "mintgate_nhi_expiring_mints_total{" + labels + "}")).isEqualTo(1.0);
        // Identities far from expiry (2099) get no series.
        assertThat(metrics).doesNotContain("client=\"report-bot\"");
    }

    private String metrics() throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(keycloak.managementUri() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The value of one Prometheus series, whatever order Micrometer writes the labels in (it sorts them). */
    private static double metricValue(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no series " + series + " in /metrics"));
    }

    private boolean active(com.nimbusds.oauth2.sdk.token.AccessToken token, String clientId) throws IOException, ParseException {
        TokenIntrospectionRequest request = new TokenIntrospectionRequest(
                java.net.URI.create(oidc.realmUri() + "/protocol/openid-connect/token/introspect"),
                basic(clientId), token);
        TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(request.toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as("introspection answered").isTrue();
        return response.toSuccessResponse().isActive();
    }

    private Tokens minted(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected a token but got %s", response.indicatesSuccess() ? ""
                : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        Tokens tokens = response.toSuccessResponse().getTokens();
        oidc.verify(tokens.getAccessToken().getValue());
        return tokens;
    }

    private static void refused(TokenResponse response, String reason) {
        assertThat(response.indicatesSuccess()).as("expected a refusal (%s) but a token was minted", reason).isFalse();
        ErrorObject error = response.toErrorResponse().getErrorObject();
        assertThat(error.getCode()).isEqualTo("access_denied");
        assertThat(error.getDescription()).containsPattern("\\(reason: " + reason + ", decision: [0-9a-f-]{36}\\)$");
    }

    private static void invalidGrant(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected the revoked refresh token to be rejected").isFalse();
        assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    private static ClientSecretBasic basic(String clientId) {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
    }

    private void setEnabled(String username, boolean enabled) {
        String id = admin.userId(realm.name(), username);
        JsonNode user = admin.get(realm.path() + "/users/" + id).expect(200).json();
        ((ObjectNode) user).put("enabled", enabled);
        admin.put(realm.path() + "/users/" + id, user).expect(204);
    }

    private void setRealmRevocation(boolean revoke) {
        JsonNode rep = admin.get(realm.path()).expect(200).json();
        ObjectNode attributes = rep.has("attributes") ? (ObjectNode) rep.get("attributes") : ((ObjectNode) rep).putObject("attributes");
        attributes.put("mintgate.owner-offboarding.revoke", Boolean.toString(revoke));
        admin.put(realm.path(), rep).expect(204);
    }
}
