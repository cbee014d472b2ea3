package io.mintgate.it.grants;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.TokenResponse;
import io.mintgate.it.harness.OidcClient;

/** What every grant-path test checks on the wire: a standard OAuth refusal, or a token that verifies. */
final class GrantAssertions {

    private GrantAssertions() {
    }

    /** A Mintgate refusal: access_denied, HTTP 400, the reason code and a decision id, no policy internals. */
    static ErrorObject assertRefused(TokenResponse response, String reason) {
        assertThat(response.indicatesSuccess()).as("expected a refusal but a token was minted").isFalse();
        ErrorObject error = response.toErrorResponse().getErrorObject();
        assertThat(error.getHTTPStatusCode()).isEqualTo(400);
        assertThat(error.getCode()).isEqualTo("access_denied");
        assertThat(error.getDescription()).containsPattern("\\(reason: " + reason + ", decision: [0-9a-f-]{36}\\)$")
                .doesNotContain("client.attributes", "subject.attributes", "flagged-");
        return error;
    }

    /** A minted access token that verifies against the realm JWKS; returns its claims. */
    static JWTClaimsSet assertMinted(OidcClient oidc, TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected a token but got %s",
                response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        return oidc.verify(response.toSuccessResponse().getTokens().getAccessToken().getValue());
    }
}
