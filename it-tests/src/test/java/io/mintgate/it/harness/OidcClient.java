package io.mintgate.it.harness;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;

/**
 * A real OAuth client (Nimbus oauth2-oidc-sdk) pointed at one realm, and a verifier that checks a token's signature
 * against the realm's published JWKS, as an unchanged resource server would.
 */
public final class OidcClient {

    private final URI realmUri;
    private final Map<String, DefaultJWTProcessor<SecurityContext>> processors = new ConcurrentHashMap<>();

    public OidcClient(KeycloakRuntime runtime, String realm) {
        this.realmUri = URI.create(runtime.baseUri() + "/realms/" + realm);
    }

    public URI tokenEndpoint() {
        return URI.create(realmUri + "/protocol/openid-connect/token");
    }

    public URI realmUri() {
        return realmUri;
    }

    public TokenResponse clientCredentials(String clientId, String secret, String scope) {
        return token(new ClientCredentialsGrant(), new ClientSecretBasic(new ClientID(clientId), new Secret(secret)), scope);
    }

    public TokenResponse token(AuthorizationGrant grant, ClientAuthentication auth, String scope) {
        TokenRequest request = new TokenRequest.Builder(tokenEndpoint(), auth, grant)
                .scope(scope == null ? null : Scope.parse(scope)).build();
        try {
            return TokenResponse.parse(request.toHTTPRequest().send());
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("token request failed", e);
        }
    }

    /**
     * UMA 2.0 grant (Keycloak authorization services): the client presents the user's access token as bearer and
     * asks for a requesting party token for {@code audience}'s resources. Nimbus has no UMA grant type, so the
     * request is built by hand with Nimbus' HTTP primitives.
     */
    public TokenResponse uma(String accessToken, String audience) {
        try {
            com.nimbusds.oauth2.sdk.http.HTTPRequest request = new com.nimbusds.oauth2.sdk.http.HTTPRequest(
                    com.nimbusds.oauth2.sdk.http.HTTPRequest.Method.POST, tokenEndpoint());
            request.setEntityContentType(com.nimbusds.common.contenttype.ContentType.APPLICATION_URLENCODED);
            request.setAuthorization("Bearer " + accessToken);
            request.setBody("grant_type=" + java.net.URLEncoder.encode("urn:ietf:params:oauth:grant-type:uma-ticket",
                    java.nio.charset.StandardCharsets.UTF_8) + "&audience=" + audience);
            return TokenResponse.parse(request.send());
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("UMA token request failed", e);
        }
    }

    /** A token request with exactly these form fields, for grants and client authentications Nimbus will not build. */
    public TokenResponse tokenWithForm(Map<String, String> form) {
        try {
            com.nimbusds.oauth2.sdk.http.HTTPRequest request = new com.nimbusds.oauth2.sdk.http.HTTPRequest(
                    com.nimbusds.oauth2.sdk.http.HTTPRequest.Method.POST, tokenEndpoint());
            request.setEntityContentType(com.nimbusds.common.contenttype.ContentType.APPLICATION_URLENCODED);
            request.setBody(form.entrySet().stream().map(e -> e.getKey() + "=" + java.net.URLEncoder.encode(e.getValue(),
                    java.nio.charset.StandardCharsets.UTF_8)).collect(java.util.stream.Collectors.joining("&")));
            return TokenResponse.parse(request.send());
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("token request failed", e);
        }
    }

    /** Verifies signature (realm JWKS), issuer and expiry, and returns the claims. */
    public JWTClaimsSet verify(String jwt) {
        DefaultJWTProcessor<SecurityContext> processor = processors.computeIfAbsent("at", k -> newProcessor());
        try {
            JWTClaimsSet claims = processor.process(jwt, null);
            if (!realmUri.toString().equals(claims.getIssuer())) {
                throw new AssertionError("issuer " + claims.getIssuer() + " is not " + realmUri);
            }
            return claims;
        } catch (java.text.ParseException | BadJOSEException | JOSEException e) {
            throw new AssertionError("token does not verify against the realm JWKS: " + e.getMessage(), e);
        }
    }

    private DefaultJWTProcessor<SecurityContext> newProcessor() {
        try {
            URL jwks = URI.create(realmUri + "/protocol/openid-connect/certs").toURL();
            JWKSource<SecurityContext> source = JWKSourceBuilder.create(jwks).retrying(true).build();
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSTypeVerifier((type, context) -> { });
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, source));
            return processor;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
