package io.mintgate.it.audit;

import static io.mintgate.it.audit.AuditGrants.FILE_TRAIL;
import static io.mintgate.it.audit.AuditGrants.SINK_TIMEOUT;
import static io.mintgate.it.audit.AuditGrants.TOKEN_EXCHANGE;
import static io.mintgate.it.audit.AuditGrants.accessToken;
import static io.mintgate.it.audit.AuditGrants.decisionId;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditSinks;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every token-endpoint grant path, issued and refused, reaches EACH real sink (file, HTTP collector, Kafka topic) as
 * the documented CloudEvents record: issuance carries the token's jti, a refusal the decision id the client saw in
 * the OAuth error description.
 */
@MintgateIT
class GrantAuditSinksIT {

    private KeycloakRuntime keycloak;
    private AuditSinks sinks;
    private RealmFixture realm;
    private AuditGrants grants;

    @BeforeAll
    void importRealm(AdminApi admin, KeycloakRuntime keycloak, AuditSinks sinks) {
        this.keycloak = keycloak;
        this.sinks = sinks;
        realm = RealmFixture.create(admin, "grants.json");
        grants = new AuditGrants(admin, keycloak, realm);
    }

    @AfterAll
    void dropRealm() {
        realm.close();
    }

    @Test
    void clientCredentialsIssuedAndRefused() {
        assertIssued(grants.clientCredentials("svc"), "svc", "client_credentials");
        assertRefused(grants.clientCredentials("svc-flagged"), "svc-flagged", "client_credentials");
    }

    @Test
    void passwordIssuedAndRefused() {
        assertIssued(grants.password("alice"), "app", "password");
        assertRefused(grants.password("mallory"), "app", "password");
    }

    @Test
    void refreshIssuedAndRefused() {
        RefreshToken alice = grants.password("alice").toSuccessResponse().getTokens().getRefreshToken();
        assertIssued(grants.refresh(alice), "app", "refresh_token");

        RefreshToken refreshUser = grants.password("refresh-user").toSuccessResponse().getTokens().getRefreshToken();
        grants.flag("refresh-user");
        assertRefused(grants.refresh(refreshUser), "app", "refresh_token");
    }

    @Test
    void authorizationCodeIssuedAndRefused() {
        assertIssued(grants.codeFlow("alice"), "app", "authorization_code");
        assertRefused(grants.codeFlow("mallory"), "app", "authorization_code");
    }

    @Test
    void tokenExchangeIssuedAndRefused() {
        String subjectToken = accessToken(grants.password("alice"));
        assertIssued(grants.exchange("exchanger", subjectToken), "exchanger", TOKEN_EXCHANGE);
        assertRefused(grants.exchange("exchanger-flagged", subjectToken), "exchanger-flagged", TOKEN_EXCHANGE);
    }

    @Test
    void theCollectorOnlyEverSawCorrectlySignedBatches() {
        grants.clientCredentials("svc");
        assertThat(sinks.http().acceptedBatches()).isPositive();
        assertThat(sinks.http().badSignatures()).as("batches with a wrong or missing HMAC").isZero();
    }

    private void assertIssued(TokenResponse response, String clientId, String grantType) {
        String accessToken = accessToken(response);
        JWTClaimsSet claims = grants.oidc().verify(accessToken);
        String jti = claims.getJWTID();
        Map<String, JsonNode> records = sinks.awaitInEach(keycloak, FILE_TRAIL, grantType + " issuance of " + jti,
                r -> jti.equals(r.at("/data/tokenId").asText()), SINK_TIMEOUT);
        for (var entry : records.entrySet()) {
            JsonNode r = entry.getValue();
            String sink = entry.getKey();
            assertThat(r.at("/specversion").asText()).as("%s specversion", sink).isEqualTo("1.0");
            assertThat(r.at("/type").asText()).as("%s type", sink).isEqualTo("io.mintgate.token.issued");
            assertThat(r.at("/source").asText()).as("%s source", sink).isEqualTo("/realms/" + realm.name());
            assertThat(r.at("/data/realm").asText()).as("%s realm", sink).isEqualTo(realm.name());
            assertThat(r.at("/data/clientId").asText()).as("%s clientId", sink).isEqualTo(clientId);
            assertThat(r.at("/data/grantType").asText()).as("%s grantType", sink).isEqualTo(grantType);
            assertThat(r.at("/data/tokenId").asText()).as("%s tokenId", sink).isEqualTo(jti);
            assertThat(r.at("/data/decision/outcome").asText()).as("%s decision outcome", sink).isEqualTo("allow");
            assertThat(r.at("/mintgatehash").asText()).as("%s hash", sink).matches("[0-9a-f]{64}");
        }
        assertSameRecordEverywhere(records);
    }

    private void assertRefused(TokenResponse response, String clientId, String grantType) {
        String decisionId = decisionId(response);
        Map<String, JsonNode> records = sinks.awaitInEach(keycloak, FILE_TRAIL, grantType + " refusal " + decisionId,
                r -> decisionId.equals(r.at("/data/decision/id").asText()), SINK_TIMEOUT);
        for (var entry : records.entrySet()) {
            JsonNode r = entry.getValue();
            String sink = entry.getKey();
            assertThat(r.at("/type").asText()).as("%s type", sink).isEqualTo("io.mintgate.token.denied");
            assertThat(r.at("/data/realm").asText()).as("%s realm", sink).isEqualTo(realm.name());
            assertThat(r.at("/data/clientId").asText()).as("%s clientId", sink).isEqualTo(clientId);
            assertThat(r.at("/data/grantType").asText()).as("%s grantType", sink).isEqualTo(grantType);
            assertThat(r.at("/data/decision/id").asText()).as("%s decision id", sink).isEqualTo(decisionId);
            assertThat(r.at("/data/decision/outcome").asText()).as("%s decision outcome", sink).isEqualTo("deny");
            assertThat(r.at("/data/error").asText()).as("%s error", sink).isNotEmpty();
            assertThat(r.at("/data/tokenId").isMissingNode()).as("%s: a refusal names no token", sink).isTrue();
        }
        assertSameRecordEverywhere(records);
    }

    /** The sinks carry the very same record: same id and chain position, so the hash covers the same content. */
    private static void assertSameRecordEverywhere(Map<String, JsonNode> records) {
        JsonNode file = records.get("file");
        for (var entry : records.entrySet()) {
            assertThat(entry.getValue()).as("%s record equals the file sink's", entry.getKey()).isEqualTo(file);
        }
    }
}
