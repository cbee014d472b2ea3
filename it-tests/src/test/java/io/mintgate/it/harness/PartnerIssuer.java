package io.mintgate.it.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import com.sun.net.httpserver.HttpServer;

/**
 * A trusted issuer for Keycloak's JWT Authorization Grant (RFC 7523 section 2.1): serves its JWKS, registers itself in
 * a realm as a {@code jwt-authorization-grant} identity provider, links users to it and signs assertions about them.
 */
public final class PartnerIssuer implements AutoCloseable {

    public static final String ALIAS = "partner";
    public static final String ISSUER = "https://partner.example.test/issuer";

    private final RSAKey signingKey;
    private final HttpServer jwksServer;

    public PartnerIssuer() throws IOException {
        try {
            signingKey = new RSAKeyGenerator(2048).keyID("partner-" + UUID.randomUUID()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
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
    }

    /** Adds the identity provider to the realm (it needs the JWKS server's port, known only at run time). */
    public void register(AdminApi admin, RealmFixture realm) {
        admin.post(realm.path() + "/identity-provider/instances", Map.of(
                "alias", ALIAS,
                "providerId", "jwt-authorization-grant",
                "enabled", true,
                "config", Map.of(
                        "issuer", ISSUER,
                        "useJwksUrl", "true",
                        "jwksUrl", "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks",
                        "jwtAuthorizationGrantAssertionSignatureAlg", "RS256"))).expect(201);
    }

    /** The subject the partner uses for a user (distinct from the Keycloak user id and username). */
    public static String subjectOf(String username) {
        return "partner-subject-" + username;
    }

    /** Links a realm user to the partner, so an assertion about its subject maps to the user. */
    public void link(AdminApi admin, RealmFixture realm, String username) {
        String id = admin.userId(realm.name(), username);
        admin.post(realm.path() + "/users/" + id + "/federated-identity/" + ALIAS, Map.of(
                "identityProvider", ALIAS, "userId", subjectOf(username), "userName", username)).expect(204);
    }

    /** An RS256 assertion about {@code username}, audience the realm issuer, single use. */
    public SignedJWT assertion(OidcClient oidc, String username, Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(subjectOf(username))
                .audience(oidc.realmUri().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt;
    }

    @Override
    public void close() {
        jwksServer.stop(0);
    }
}
