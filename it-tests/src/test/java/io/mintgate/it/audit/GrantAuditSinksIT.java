package io.mintgate.it.audit;

import static io.mintgate.it.audit.AuditGrants.TOKEN_EXCHANGE;
import static io.mintgate.it.audit.AuditGrants.accessToken;
import static io.mintgate.it.audit.AuditGrants.decisionId;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

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

    private AuditSinks sinks;
    private RealmFixture realm;
    private AuditGrants grants;
    private SinkRecords records;

    @BeforeAll
    void importRealm(AdminApi admin, KeycloakRuntime keycloak, AuditSinks sinks) {
        this.sinks = sinks;
        realm = RealmFixture.create(admin, "grants.json");
        grants = new AuditGrants(admin, keycloak, realm);
        records = new SinkRecords(keycloak, sinks, realm.name());
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

    /**
     * Keycloak accepts a response_type with a repeated part; the audit mapping of its LOGIN event once threw, which
     * failed the user's login after it had committed. The login must complete and the token be audited.
     */
    @Test
    void aRepeatedResponseTypePartStillLogsInAndIsAudited() {
        assertIssued(grants.codeFlow("alice", "code code"), "app", "authorization_code");
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

    /** One node's chain stays in one partition, in order: the Kafka key is the chain id, not the subject. */
    @Test
    void everyKafkaRecordIsKeyedByItsChainId() {
        assertIssued(grants.clientCredentials("svc"), "svc", "client_credentials");
        List<Map.Entry<String, String>> keyed = sinks.kafkaKeysAndChains();
        assertThat(keyed).isNotEmpty();
        assertThat(keyed).allSatisfy(e -> assertThat(e.getKey()).as("Kafka key of a record of chain %s", e.getValue())
                .isEqualTo(e.getValue()));
    }

    private void assertIssued(TokenResponse response, String clientId, String grantType) {
        records.issued(grants.oidc().verify(accessToken(response)).getJWTID(), clientId, grantType);
    }

    private void assertRefused(TokenResponse response, String clientId, String grantType) {
        records.refused(decisionId(response), clientId, grantType);
    }
}
