package io.mintgate.it.grants;

import static io.mintgate.it.grants.GrantAssertions.assertMinted;
import static io.mintgate.it.grants.GrantAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.sun.net.httpserver.HttpServer;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
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
    private static final String IDP_ALIAS = "partner";
    private static final String ISSUER = "https://partner.example.test/issuer";

    private final RSAKey signingKey;
    private HttpServer jwksServer;
    private AdminApi admin;
    private RealmFixture realm;
    private OidcClient oidc;

    JwtAuthorizationGrantIT() throws JOSEException {
        signingKey = new RSAKeyGenerator(2048).keyID("partner-" + UUID.randomUUID()).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256).generate();
    }

    @BeforeAll
    void start(AdminApi admin, KeycloakRuntime keycloak) throws IOException {
        this.admin = admin;
        byte[] jwks = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        jwksServer.start();

        realm = RealmFixture.create(admin, "jwt-grant.json");
        oidc = new OidcClient(keycloak, realm.name());
        // The identity provider needs the JWKS server's port, known only now, so it is added by the admin API.
        admin.post(realm.path() + "/identity-provider/instances", Map.of(
                "alias", IDP_ALIAS,
                "providerId", "jwt-authorization-grant",
                "enabled", true,
                "config", Map.of(
                        "issuer", ISSUER,
                        "useJwksUrl", "true",
                        "jwksUrl", "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks",
                        "jwtAuthorizationGrantAssertionSignatureAlg", "RS256"))).expect(201);
        link("alice");
        link("mallory");
    }

    @AfterAll
    void stop() {
        if (realm != null) {
            realm.close();
        }
        if (jwksServer != null) {
            jwksServer.stop(0);
        }
    }

    @Test
    @CoversGrant(value = GRANT, outcome = CoversGrant.Outcome.ALLOW)
    void assertionForAnUnflaggedUserIsExchangedForAToken() throws Exception {
        JWTClaimsSet claims = assertMinted(oidc, present("assertion-client", assertion(subjectOf("alice"))));
        assertThat(claims.getSubject()).isEqualTo(admin.userId(realm.name(), "alice"));
        assertThat(claims.getClaim("preferred_username")).isEqualTo("alice");
        assertThat(claims.getClaim("azp")).isEqualTo("assertion-client");
    }

    @Test
    @CoversGrant(value = GRANT, outcome = CoversGrant.Outcome.DENY)
    void assertionForAFlaggedUserIsRefused() throws Exception {
        assertMintgateRefusal(present("assertion-client", assertion(subjectOf("mallory"))), "subject_flagged");
    }

    @Test
    void assertionPresentedByAFlaggedClientIsRefused() throws Exception {
        assertMintgateRefusal(present("assertion-client-flagged", assertion(subjectOf("alice"))), "client_flagged");
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

    /** The subject the partner issuer uses for a user (distinct from the Keycloak user id and username). */
    private static String subjectOf(String username) {
        return "partner-subject-" + username;
    }

    /** Links a realm user to the partner identity provider, so an assertion about its subject maps to the user. */
    private void link(String username) {
        String id = admin.userId(realm.name(), username);
        admin.post(realm.path() + "/users/" + id + "/federated-identity/" + IDP_ALIAS, Map.of(
                "identityProvider", IDP_ALIAS, "userId", subjectOf(username), "userName", username)).expect(204);
    }

    /** An RS256 assertion from the partner issuer for {@code subject}, audience the realm issuer, single use. */
    private String assertion(String subject) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(subject)
                .audience(oidc.realmUri().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(120)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }

    private TokenResponse present(String clientId, String assertion) throws java.text.ParseException {
        return oidc.token(new JWTBearerGrant(SignedJWT.parse(assertion)),
                new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret")), null);
    }
}
