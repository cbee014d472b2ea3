package io.mintgate.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;

/**
 * The OAuth 2.0 Device Authorization Grant (RFC 8628) as a device and its user perform it: the device asks for a
 * device code, the user logs in at {@code verification_uri_complete} and confirms on Keycloak's consent page, the
 * device polls the token endpoint.
 */
public final class DeviceAuthorization {

    private static final Pattern CONSENT_CODE = Pattern.compile("name=\"code\"\\s+value=\"([^\"]+)\"");

    private final KeycloakRuntime keycloak;
    private final OidcClient oidc;

    public DeviceAuthorization(KeycloakRuntime keycloak, OidcClient oidc) {
        this.keycloak = keycloak;
        this.oidc = oidc;
    }

    /** POST {@code /protocol/openid-connect/auth/device}: the device's request for a device and user code. */
    public DeviceAuthorizationSuccessResponse authorize(ClientAuthentication client, String scope) {
        DeviceAuthorizationResponse response = request(client, scope);
        assertThat(response.indicatesSuccess()).as("device authorization response %s",
                response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        DeviceAuthorizationSuccessResponse success = response.toSuccessResponse();
        assertThat(success.getVerificationURIComplete()).as("verification_uri_complete").isNotNull();
        return success;
    }

    /** The device authorization request as sent, whatever Keycloak answers (e.g. a refusal). */
    public DeviceAuthorizationResponse request(ClientAuthentication client, String scope) {
        URI endpoint = URI.create(oidc.realmUri() + "/protocol/openid-connect/auth/device");
        DeviceAuthorizationRequest request = new DeviceAuthorizationRequest.Builder(client)
                .endpointURI(endpoint).scope(Scope.parse(scope)).build();
        try {
            return DeviceAuthorizationResponse.parse(request.toHTTPRequest().send());
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("device authorization request failed", e);
        }
    }

    /** The user opens verification_uri_complete, logs in and confirms the device on the consent page. */
    public void approveInBrowser(DeviceAuthorizationSuccessResponse authorization, String username, String password) {
        BrowserLogin browser = new BrowserLogin(keycloak);
        BrowserLogin.Result result = browser.open(authorization.getVerificationURIComplete(), username, password);
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

    /** Polls the token endpoint with the device code until the answer is no longer pending. */
    public TokenResponse pollForToken(ClientAuthentication client, DeviceAuthorizationSuccessResponse authorization) {
        return TokenPolling.poll(() -> oidc.token(new DeviceCodeGrant(authorization.getDeviceCode()), client, null),
                authorization.getInterval());
    }
}
