package io.mintgate.it.grants;

import static io.mintgate.it.grants.GrantAssertions.assertMinted;
import static io.mintgate.it.grants.GrantAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.BrowserLogin;
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
    private static final Duration POLL_DEADLINE = Duration.ofSeconds(30);
    private static final Pattern CONSENT_CODE = Pattern.compile("name=\"code\"\\s+value=\"([^\"]+)\"");

    private KeycloakRuntime keycloak;
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void importRealm(AdminApi admin, KeycloakRuntime keycloak) {
        this.keycloak = keycloak;
        realm = RealmFixture.create(admin, "device-grant.json");
        oidc = new OidcClient(keycloak, realm.name());
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

    @Test
    void deviceCodeExchangeIsRefusedForAFlaggedClient() {
        DeviceAuthorizationSuccessResponse authorization = authorizeDevice("tv-flagged");
        approveInBrowser(authorization, "alice");

        assertRefused(pollForToken("tv-flagged", authorization), "client_flagged");
    }

    // helpers

    /** POST {@code /protocol/openid-connect/auth/device}: the device's request for a device and user code. */
    private DeviceAuthorizationSuccessResponse authorizeDevice(String clientId) {
        URI endpoint = URI.create(oidc.realmUri() + "/protocol/openid-connect/auth/device");
        DeviceAuthorizationRequest request = new DeviceAuthorizationRequest.Builder(auth(clientId))
                .endpointURI(endpoint).scope(Scope.parse("openid")).build();
        try {
            DeviceAuthorizationResponse response = DeviceAuthorizationResponse.parse(request.toHTTPRequest().send());
            assertThat(response.indicatesSuccess()).as("device authorization response %s",
                    response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
            DeviceAuthorizationSuccessResponse success = response.toSuccessResponse();
            assertThat(success.getVerificationURIComplete()).as("verification_uri_complete").isNotNull();
            return success;
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("device authorization request failed", e);
        }
    }

    /** The user opens verification_uri_complete, logs in and confirms the device on the consent page. */
    private void approveInBrowser(DeviceAuthorizationSuccessResponse authorization, String username) {
        BrowserLogin browser = new BrowserLogin(keycloak);
        BrowserLogin.Result result = browser.open(authorization.getVerificationURIComplete(),
                username, username + "-password");
        // Keycloak always asks the user to confirm a device (RFC 8628 section 5.4), even with client consent off.
        assertThat(result.page()).as("device consent page after login (ended at %s)", result.location())
                .isNotNull().contains("name=\"accept\"");
        Matcher code = CONSENT_CODE.matcher(result.page());
        assertThat(code.find()).as("consent form code field").isTrue();
        BrowserLogin.Result confirmed = browser.submit(result.page(), Map.of("code", code.group(1), "accept", "Yes"));
        assertThat(confirmed.location()).as("redirect after confirming the device (page: %s)", confirmed.page())
                .isNotNull();
        assertThat(confirmed.location().getPath()).endsWith("/device/status");
        assertThat(confirmed.param("error")).as("error after confirming the device").isNull();
    }

    /**
     * Polls the token endpoint as a device does (RFC 8628 section 3.4): waits out {@code authorization_pending} and
     * {@code slow_down} until the deadline, and returns the first other answer.
     */
    private TokenResponse pollForToken(String clientId, DeviceAuthorizationSuccessResponse authorization) {
        Duration interval = Duration.ofSeconds(Math.max(1, authorization.getInterval()));
        long deadline = System.nanoTime() + POLL_DEADLINE.toNanos();
        while (true) {
            TokenResponse response = oidc.token(new DeviceCodeGrant(authorization.getDeviceCode()), auth(clientId), null);
            String error = response.indicatesSuccess() ? null : response.toErrorResponse().getErrorObject().getCode();
            if (error == null || !Set.of("authorization_pending", "slow_down").contains(error)) {
                return response;
            }
            if (System.nanoTime() + interval.toNanos() > deadline) {
                throw new AssertionError("still " + error + " after " + POLL_DEADLINE);
            }
            pause(interval);
        }
    }

    private static ClientSecretBasic auth(String clientId) {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
