package io.mintgate.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

/**
 * The OAuth 2.0 Device Authorization Grant (RFC 8628) as a device and its user perform it: the device asks for a
 * device code, the user logs in at {@code verification_uri_complete} and confirms the device, the device polls the
 * token endpoint. Clients authenticate with the realm fixtures' convention, secret {@code <clientId>-secret}.
 */
public final class DeviceFlow {

    private static final Duration POLL_DEADLINE = Duration.ofSeconds(30);
    private static final Pattern CONSENT_CODE = Pattern.compile("name=\"code\"\\s+value=\"([^\"]+)\"");

    private final KeycloakRuntime keycloak;
    private final OidcClient oidc;

    public DeviceFlow(KeycloakRuntime keycloak, OidcClient oidc) {
        this.keycloak = keycloak;
        this.oidc = oidc;
    }

    /** Device authorization, the user's approval as {@code username}, then the device's polling: the final answer. */
    public TokenResponse run(String clientId, String username) {
        DeviceAuthorizationSuccessResponse authorization = authorize(clientId);
        approve(authorization, username);
        return poll(clientId, authorization);
    }

    /** POST {@code /protocol/openid-connect/auth/device}: the device's request for a device and user code. */
    public DeviceAuthorizationSuccessResponse authorize(String clientId) {
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
    public void approve(DeviceAuthorizationSuccessResponse authorization, String username) {
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
    public TokenResponse poll(String clientId, DeviceAuthorizationSuccessResponse authorization) {
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
            AuditSinks.pause(interval.toMillis());
        }
    }

    private static ClientSecretBasic auth(String clientId) {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
    }
}
