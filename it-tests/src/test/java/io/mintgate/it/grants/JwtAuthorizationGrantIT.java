package io.mintgate.it.grants;

import static io.mintgate.it.grants.GrantAssertions.assertMinted;
import static io.mintgate.it.grants.GrantAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.PartnerIssuer;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keycloak's JWT Authorization Grant (RFC 7523 section 2.1) end to end: a trusted issuer (a
 * {@code jwt-authorization-grant} identity provider whose JWKS this test serves) signs an assertion about a user,
 * and a confidential client presents it at the token endpoint. Keycloak maps the assertion's {@code sub} to a user
 * through the user's federated identity link to that identity provider. Mintgate decides in its token
 * post-processor, once Keycloak has verified the assertion and resolved the user.
 */
@MintgateIT
class JwtAuthorizationGrantIT {

    private static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private AdminApi admin;
    private PartnerIssuer partner;
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void start(AdminApi admin, KeycloakRuntime keycloak) throws IOException {
        this.admin = admin;
        partner = new PartnerIssuer();
        realm = RealmFixture.create(admin, "jwt-grant.json");
        oidc = new OidcClient(keycloak, realm.name());
        partner.register(admin, realm);
        partner.link(admin, realm, "alice");
        partner.link(admin, realm, "mallory");
    }

    @AfterAll
    void stop() {
        if (realm != null) {
            realm.close();
        }
        if (partner != null) {
            partner.close();
        }
    }

    @Test
    @CoversGrant(value = GRANT, outcome = CoversGrant.Outcome.ALLOW)
    void assertionForAnUnflaggedUserIsExchangedForAToken() {
        JWTClaimsSet claims = assertMinted(oidc, present("assertion-client", "alice"));
        assertThat(claims.getSubject()).isEqualTo(admin.userId(realm.name(), "alice"));
        assertThat(claims.getClaim("preferred_username")).isEqualTo("alice");
        assertThat(claims.getClaim("azp")).isEqualTo("assertion-client");
    }

    @Test
    @CoversGrant(value = GRANT, outcome = CoversGrant.Outcome.DENY)
    void assertionForAFlaggedUserIsRefused() {
        assertMintgateRefusal(present("assertion-client", "mallory"), "subject_flagged");
    }

    @Test
    void assertionPresentedByAFlaggedClientIsRefused() {
        assertMintgateRefusal(present("assertion-client-flagged", "alice"), "client_flagged");
    }

    @Test
    void theAuthorizationDetailsOfAnAllowedAssertionGrantAreInTheTokenAndTheResponse() {
        String cells = "[{\"type\": \"payment_initiation\", \"actions\": [\"initiate\"], "
                + "\"instructedAmount\": {\"currency\": \"EUR\", \"amount\": \"7.00\"}}]";
        TokenResponse response = oidc.tokenWithForm(java.util.Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion", partner.assertion(oidc, "alice", Duration.ofMinutes(2)).serialize(),
                "client_id", "assertion-client", "client_secret", "assertion-client-secret",
                "authorization_details", cells));
        java.util.List<java.util.Map<String, Object>> expected = java.util.List.of(java.util.Map.of(
                "type", "payment_initiation", "actions", java.util.List.of("initiate"),
                "instructedAmount", java.util.Map.of("currency", "EUR", "amount", "7.00")));
        // decided at the grant's own event, granted when Keycloak builds the token
        assertThat(assertMinted(oidc, response).getClaim("authorization_details")).as("signed token").isEqualTo(expected);
        assertThat(com.nimbusds.oauth2.sdk.rar.AuthorizationDetail.toJSONArray(
                response.toSuccessResponse().getTokens().getAccessToken().getAuthorizationDetails()))
                .as("token response").isEqualTo(expected);
    }

    // helpers

    /** {@link GrantAssertions#assertRefused}, with the whole error response in the message when the code differs. */
    private static void assertMintgateRefusal(TokenResponse response, String reason) {
        assertThat(response.indicatesSuccess()).as("expected a refusal but a token was minted").isFalse();
        ErrorObject error = response.toErrorResponse().getErrorObject();
        assertThat(error.getCode()).as("error response (HTTP %s): %s", error.getHTTPStatusCode(), error.toJSONObject())
                .isEqualTo("access_denied");
        assertRefused(response, reason);
    }

    /** The client presents a two-minute partner assertion about {@code username}. */
    private TokenResponse present(String clientId, String username) {
        return oidc.token(new JWTBearerGrant(partner.assertion(oidc, username, Duration.ofMinutes(2))),
                new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret")), null);
    }
}
