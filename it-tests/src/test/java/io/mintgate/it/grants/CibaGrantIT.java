package io.mintgate.it.grants;

import static io.mintgate.it.grants.GrantAssertions.assertMinted;
import static io.mintgate.it.grants.GrantAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.ciba.CIBARequestAcknowledgement;
import com.nimbusds.oauth2.sdk.ciba.CIBAResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.CibaAuthenticationDevice;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenID Connect Client-Initiated Backchannel Authentication (CIBA, poll mode) end to end: the consumption device
 * starts a backchannel authentication for a user ({@code login_hint}); Keycloak's HTTP authentication channel posts
 * it to this test, which plays the authentication device and approves through Keycloak's callback endpoint; the
 * consumption device then polls the token endpoint with its {@code auth_req_id}. Mintgate decides at that exchange.
 */
@MintgateIT
class CibaGrantIT {

    private static final String GRANT = "urn:openid:params:grant-type:ciba";

    private CibaAuthenticationDevice device;
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void start(AdminApi admin, KeycloakRuntime keycloak) throws IOException {
        realm = RealmFixture.create(admin, "ciba-grant.json");
        oidc = new OidcClient(keycloak, realm.name());
        device = new CibaAuthenticationDevice(oidc);
    }

    @AfterAll
    void stop() {
        if (realm != null) {
            realm.close();
        }
        if (device != null) {
            device.close();
        }
    }

    @Test
    @CoversGrant(value = GRANT, outcome = CoversGrant.Outcome.ALLOW)
    void authReqIdIsExchangedForATokenOnceTheDeviceApprovesAnUnflaggedUser() {
        CIBARequestAcknowledgement ack = backchannelAuthentication("cd", "alice");
        approveOnDevice("cd", "alice");

        JWTClaimsSet claims = assertMinted(oidc, pollForToken("cd", ack));
        assertThat(claims.getClaim("preferred_username")).isEqualTo("alice");
        assertThat(claims.getClaim("azp")).isEqualTo("cd");
    }

    @Test
    @CoversGrant(value = GRANT, outcome = CoversGrant.Outcome.DENY)
    void authReqIdExchangeIsRefusedForAFlaggedUserEvenAfterTheDeviceApproved() {
        CIBARequestAcknowledgement ack = backchannelAuthentication("cd", "mallory");
        approveOnDevice("cd", "mallory");

        assertRefused(pollForToken("cd", ack), "subject_flagged");
    }

    /** A rule on client-only facts refuses the backchannel authentication request: the user is never asked. */
    @Test
    void theBackchannelAuthenticationRequestOfAFlaggedClientIsRefused() {
        CIBAResponse response = device.request(auth("cd-flagged"), "openid", "alice");

        assertThat(response.indicatesSuccess()).as("expected a refusal but an auth_req_id was issued").isFalse();
        ErrorObject error = response.toErrorResponse().getErrorObject();
        assertThat(error.getHTTPStatusCode()).isEqualTo(400);
        assertThat(error.getCode()).isEqualTo("access_denied");
        assertThat(error.getDescription()).containsPattern("\\(reason: client_flagged, decision: [0-9a-f-]{36}\\)$");
    }

    // helpers

    private CIBARequestAcknowledgement backchannelAuthentication(String clientId, String username) {
        return device.authenticate(auth(clientId), "openid", username);
    }

    private void approveOnDevice(String clientId, String username) {
        device.approve(username);
    }

    private TokenResponse pollForToken(String clientId, CIBARequestAcknowledgement ack) {
        return device.pollForToken(auth(clientId), ack);
    }

    private static ClientSecretBasic auth(String clientId) {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
    }
}
