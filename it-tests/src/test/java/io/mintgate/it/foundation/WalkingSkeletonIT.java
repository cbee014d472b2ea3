package io.mintgate.it.foundation;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the whole product in one flow: a realm imported with an issuance-authorizer policy, one client
 * refused with an OAuth error, another minted a verifiable token, and both outcomes on the audit file sink.
 */
@MintgateIT
class WalkingSkeletonIT {

    private RealmFixture realm;
    private OidcClient oidc;
    private AuditTrail audit;

    @BeforeAll
    void importRealm(AdminApi admin, KeycloakRuntime keycloak) {
        realm = RealmFixture.create(admin, "skeleton.json");
        oidc = new OidcClient(keycloak, realm.name());
        audit = new AuditTrail(keycloak);
    }

    @AfterAll
    void dropRealm() {
        realm.close();
    }

    @Test
    void anAgentWithoutAnActiveOwnerIsRefusedWithAnOAuthErrorAndAudited() {
        TokenResponse response = oidc.clientCredentials("rogue-agent", "rogue-agent-secret", null);

        assertThat(response.indicatesSuccess()).as("token response for rogue-agent").isFalse();
        ErrorObject error = response.toErrorResponse().getErrorObject();
        assertThat(error.getHTTPStatusCode()).isEqualTo(400);
        assertThat(error.getCode()).isEqualTo("access_denied");
        assertThat(error.getDescription())
                .startsWith("this agent has no active owner (reason: owner_inactive, decision: ")
                .doesNotContain("nhi.ownerEnabled", "agents-need-an-owner");
        String decisionId = error.getDescription().replaceAll(".*decision: ([^)]+)\\).*", "$1");

        JsonNode record = audit.await("for the refused rogue-agent", r -> realm.name().equals(r.at("/data/realm").asText())
                && "rogue-agent".equals(r.at("/data/clientId").asText()) && r.at("/type").asText().endsWith("denied"));
        assertThat(record.at("/data/decision/id").asText()).isEqualTo(decisionId);
        assertThat(record.at("/data/decision/reason").asText()).isEqualTo("owner_inactive");
        assertThat(record.at("/data/decision/rule").asText()).isEqualTo("agents-need-an-owner");
    }

    @Test
    void aCiRunnerWithAnActiveOwnerGetsAVerifiableTokenAndIsAudited() {
        TokenResponse response = oidc.clientCredentials("ci-runner", "ci-runner-secret", null);

        assertThat(response.indicatesSuccess()).as("token response for ci-runner: %s", response).isTrue();
        String accessToken = response.toSuccessResponse().getTokens().getAccessToken().getValue();
        JWTClaimsSet claims = oidc.verify(accessToken);
        assertThat(claims.getClaim("azp")).isEqualTo("ci-runner");

        JsonNode record = audit.await("for ci-runner's token " + claims.getJWTID(),
                r -> claims.getJWTID().equals(r.at("/data/tokenId").asText()));
        assertThat(record.at("/type").asText()).endsWith("issued");
        assertThat(record.at("/data/clientId").asText()).isEqualTo("ci-runner");
        assertThat(record.at("/data/decision/outcome").asText()).isEqualTo("allow");
        assertThat(record.toString()).doesNotContain(accessToken, "ci-runner-secret");
    }
}
