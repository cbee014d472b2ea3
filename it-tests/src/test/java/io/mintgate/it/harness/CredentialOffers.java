package io.mintgate.it.harness;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.TokenResponse;

/**
 * Keycloak's OID4VCI credential offers (features {@code oid4vc-vci}, {@code oid4vc-vci-rest-credential-offer},
 * {@code oid4vc-vci-preauth-code}), driven as an issuer's back office and a wallet would: a logged-in user asks
 * {@code create-credential-offer} for a pre-authorized offer, the wallet fetches the offer by its nonce and redeems
 * the offer's pre-authorized code at the token endpoint (no client authentication: the code is the credential).
 */
public final class CredentialOffers {

    public static final String PRE_AUTHORIZED_CODE_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code";

    private final OidcClient oidc;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public CredentialOffers(OidcClient oidc) {
        this.oidc = oidc;
    }

    /**
     * The pre-authorized code of a new offer of {@code credentialConfigurationId}, created with {@code accessToken}
     * (its client becomes the offer's client) for {@code targetUser}, or for the token's own user when null.
     */
    public String preAuthorizedCode(String accessToken, String credentialConfigurationId, String targetUser) {
        String query = "credential_configuration_id=" + encode(credentialConfigurationId) + "&pre_authorized=true"
                + (targetUser == null ? "" : "&target_user=" + encode(targetUser));
        JsonNode offerUri = get("/protocol/oid4vc/create-credential-offer?" + query, accessToken);
        JsonNode offer = get("/protocol/oid4vc/credential-offer/" + encode(offerUri.path("nonce").asText()), null);
        JsonNode code = offer.at("/grants/" + PRE_AUTHORIZED_CODE_GRANT.replace("~", "~0").replace("/", "~1")
                + "/pre-authorized_code");
        if (!code.isTextual()) {
            throw new AssertionError("credential offer without a pre-authorized code: " + offer);
        }
        return code.asText();
    }

    /** The wallet redeems a pre-authorized code (no tx_code was asked for). */
    public TokenResponse redeem(String preAuthorizedCode) {
        return oidc.tokenWithForm(Map.of("grant_type", PRE_AUTHORIZED_CODE_GRANT, "pre-authorized_code", preAuthorizedCode));
    }

    private JsonNode get(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(oidc.realmUri() + path))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return AdminApi.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
