package io.mintgate.it.grants;

import static io.mintgate.it.grants.GrantAssertions.assertMinted;
import static io.mintgate.it.grants.GrantAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;


import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.DeviceAuthorization;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OAuth 2.0 Device Authorization Grant (RFC 8628) end to end: the device asks for a device code, the user logs in
 * at {@code verification_uri_complete} and confirms on Keycloak's device consent page, then the device polls the
 * token endpoint. Mintgate decides when the device code is exchanged, with the approving user known.
 */
@MintgateIT
class DeviceCodeGrantIT {

    private static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    private RealmFixture realm;
    private OidcClient oidc;
    private DeviceAuthorization device;

    @BeforeAll
    void importRealm(AdminApi admin, KeycloakRuntime keycloak) {
        realm = RealmFixture.create(admin, "device-grant.json");
        oidc = new OidcClient(keycloak, realm.name());
        device = new DeviceAuthorization(keycloak, oidc);
    }

    @AfterAll
    void dropRealm() {
        realm.close();
    }

    @Test
    @CoversGrant(value = GRANT, outcome = CoversGrant.Outcome.ALLOW)
    void deviceCodeIsExchangedForATokenOnceAnUnflaggedUserApproves() {
        DeviceAuthorizationSuccessResponse authorization = authorizeDevice("tv");
        approveInBrowser(authorization, "alice");

        JWTClaimsSet claims = assertMinted(oidc, pollForToken("tv", authorization));
        assertThat(claims.getClaim("preferred_username")).isEqualTo("alice");
        assertThat(claims.getClaim("azp")).isEqualTo("tv");
    }

    @Test
    @CoversGrant(value = GRANT, outcome = CoversGrant.Outcome.DENY)
    void deviceCodeExchangeIsRefusedWhenTheApprovingUserIsFlagged() {
        DeviceAuthorizationSuccessResponse authorization = authorizeDevice("tv");
        approveInBrowser(authorization, "mallory");

        assertRefused(pollForToken("tv", authorization), "subject_flagged");
    }

    /** A rule on client-only facts refuses the device authorization request itself: no user code is shown to anyone. */
    @Test
    void theDeviceAuthorizationRequestOfAFlaggedClientIsRefused() {
        DeviceAuthorizationResponse response = device.request(auth("tv-flagged"), "openid");

        assertThat(response.indicatesSuccess()).as("expected a refusal but a device code was issued").isFalse();
        ErrorObject error = response.toErrorResponse().getErrorObject();
        assertThat(error.getHTTPStatusCode()).isEqualTo(400);
        assertThat(error.getCode()).isEqualTo("access_denied");
        assertThat(error.getDescription()).containsPattern("\\(reason: client_flagged, decision: [0-9a-f-]{36}\\)$");
    }

    // helpers

    private DeviceAuthorizationSuccessResponse authorizeDevice(String clientId) {
        return device.authorize(auth(clientId), "openid");
    }

    private void approveInBrowser(DeviceAuthorizationSuccessResponse authorization, String username) {
        device.approveInBrowser(authorization, username, username + "-password");
    }

    private TokenResponse pollForToken(String clientId, DeviceAuthorizationSuccessResponse authorization) {
        return device.pollForToken(auth(clientId), authorization);
    }

    private static ClientSecretBasic auth(String clientId) {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
    }
}
