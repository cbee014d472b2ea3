package io.mintgate.it.pdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.TokenResponse;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;

/** What the AuthZEN ITs share: installing a policy on a realm, and reading a token or a refusal. */
final class PdpAssertions {

    private PdpAssertions() {
    }

    /** One client profile with the issuance-authorizer executor and this policy, for every client of the realm. */
    static void installPolicy(AdminApi admin, RealmFixture realm, String policy) {
        realm.applyIssuancePolicies("authzen", policy);
    }

    static JWTClaimsSet minted(OidcClient oidc, TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected a token, got %s", response.indicatesSuccess() ? ""
                : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        return oidc.verify(response.toSuccessResponse().getTokens().getAccessToken().getValue());
    }

    static void refused(TokenResponse response, String reason) {
        refused(response, reason, "access_denied");
    }

    /** A refusal with this OAuth error (an AuthZEN token issuance profile PDP's refusals name their own). */
    static void refused(TokenResponse response, String reason, String oauthError) {
        assertThat(response.indicatesSuccess()).as("expected a refusal (%s) but a token was minted", reason).isFalse();
        ErrorObject error = response.toErrorResponse().getErrorObject();
        assertThat(error.getCode()).isEqualTo(oauthError);
        assertThat(error.getDescription()).containsPattern("\\(reason: " + reason + ", decision: [0-9a-f-]{36}\\)$");
    }
}
