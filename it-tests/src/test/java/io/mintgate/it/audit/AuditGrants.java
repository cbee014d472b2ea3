package io.mintgate.it.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.BrowserLogin;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;

/**
 * Drives the token-endpoint grants of a {@code grants.json} realm (whose policy refuses clients and users carrying
 * {@code test.deny}) and remembers every token string a client received, so the no-secret test can search the sinks
 * for them.
 */
final class AuditGrants {

    static final URI REDIRECT = URI.create("http://127.0.0.1/cb");
    static final String FILE_TRAIL = "data/mintgate-audit/audit.jsonl";
    static final Duration SINK_TIMEOUT = Duration.ofSeconds(60);
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final Pattern DECISION = Pattern.compile("decision: ([0-9a-f-]{36})\\)");

    /** Every access, refresh and id token any audit test received in this JVM. */
    static final Set<String> ISSUED_TOKENS = ConcurrentHashMap.newKeySet();

    private final AdminApi admin;
    private final KeycloakRuntime keycloak;
    private final RealmFixture realm;
    private final OidcClient oidc;

    AuditGrants(AdminApi admin, KeycloakRuntime keycloak, RealmFixture realm) {
        this.admin = admin;
        this.keycloak = keycloak;
        this.realm = realm;
        this.oidc = new OidcClient(keycloak, realm.name());
    }

    OidcClient oidc() {
        return oidc;
    }

    TokenResponse clientCredentials(String clientId) {
        return remember(oidc.clientCredentials(clientId, clientId + "-secret", null));
    }

    TokenResponse password(String username) {
        return remember(oidc.token(new ResourceOwnerPasswordCredentialsGrant(username, new Secret(username + "-password")),
                app(), "openid"));
    }

    TokenResponse refresh(RefreshToken refreshToken) {
        return remember(oidc.token(new RefreshTokenGrant(refreshToken), app(), null));
    }

    TokenResponse codeFlow(String username) {
        return codeFlow(username, "code");
    }

    /** The same with this {@code response_type} (URL-encoded here), e.g. one Keycloak accepts with a repeated part. */
    TokenResponse codeFlow(String username, String responseType) {
        URI authorize = URI.create(oidc.realmUri() + "/protocol/openid-connect/auth?client_id=app&response_type="
                + java.net.URLEncoder.encode(responseType, java.nio.charset.StandardCharsets.UTF_8)
                + "&scope=openid&redirect_uri=" + REDIRECT);
        BrowserLogin.Result result = new BrowserLogin(keycloak).open(authorize, username, username + "-password");
        String code = result.param("code");
        assertThat(code).as("authorization code in %s", result.location()).isNotNull();
        return remember(oidc.token(new AuthorizationCodeGrant(new AuthorizationCode(code), REDIRECT), app(), null));
    }

    /** Implicit flow ({@code response_type=token}) of the public client {@code spa}; the browser's final redirect. */
    BrowserLogin.Result implicitFlow(String username) {
        URI authorize = URI.create(oidc.realmUri() + "/protocol/openid-connect/auth?client_id=spa&response_type=token"
                + "&scope=openid&nonce=n-0S6_WzA2Mj&redirect_uri=" + REDIRECT);
        BrowserLogin.Result result = new BrowserLogin(keycloak).open(authorize, username, username + "-password");
        if (result.location() != null) {
            for (String token : new String[] {result.param("access_token"), result.param("id_token")}) {
                if (token != null) {
                    ISSUED_TOKENS.add(token);
                }
            }
        }
        return result;
    }

    /** UMA grant: {@code app}'s access token for the user, asking for a requesting party token for {@code rs}. */
    TokenResponse uma(String accessToken) {
        return remember(oidc.uma(accessToken, "rs"));
    }

    TokenResponse exchange(String requester, String subjectToken) {
        TokenExchangeGrant grant = new TokenExchangeGrant(new BearerAccessToken(subjectToken), TokenTypeURI.ACCESS_TOKEN);
        return remember(oidc.token(grant, new ClientSecretBasic(new ClientID(requester), new Secret(requester + "-secret")),
                null));
    }

    void flag(String username) {
        String id = admin.userId(realm.name(), username);
        Map<String, Object> user = Map.of("username", username, "enabled", true, "firstName", username, "lastName", "Test",
                "email", username + "@example.com", "attributes", Map.of("test.deny", List.of("true")));
        admin.put(realm.path() + "/users/" + id, user).expect(204);
    }

    static ClientSecretBasic app() {
        return new ClientSecretBasic(new ClientID("app"), new Secret("app-secret"));
    }

    static String accessToken(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected a token but got %s", response.indicatesSuccess() ? ""
                : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        return response.toSuccessResponse().getTokens().getAccessToken().getValue();
    }

    /** The decision id Mintgate put in the OAuth error description of a refusal. */
    static String decisionId(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected a refusal but a token was minted").isFalse();
        ErrorObject error = response.toErrorResponse().getErrorObject();
        assertThat(error.getCode()).isEqualTo("access_denied");
        Matcher m = DECISION.matcher(String.valueOf(error.getDescription()));
        assertThat(m.find()).as("decision id in %s", error.getDescription()).isTrue();
        return m.group(1);
    }

    /** Polls the condition until it holds or the deadline passes; returns its last value. */
    static boolean pollUntil(java.util.function.BooleanSupplier condition, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() >= deadline) {
                return false;
            }
            pause(50);
        }
        return true;
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static TokenResponse remember(TokenResponse response) {
        if (response.indicatesSuccess()) {
            Tokens tokens = response.toSuccessResponse().getTokens();
            ISSUED_TOKENS.add(tokens.getAccessToken().getValue());
            if (tokens.getRefreshToken() != null) {
                ISSUED_TOKENS.add(tokens.getRefreshToken().getValue());
            }
            if (tokens instanceof OIDCTokens oidcTokens && oidcTokens.getIDTokenString() != null) {
                ISSUED_TOKENS.add(oidcTokens.getIDTokenString());
            } else if (response.toSuccessResponse().getCustomParameters().get("id_token") instanceof String id) {
                ISSUED_TOKENS.add(id);
            }
        }
        return response;
    }
}
