package io.mintgate.it.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.ciba.CIBARequestAcknowledgement;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.BrowserLogin;
import io.mintgate.it.harness.CibaAuthenticationDevice;
import io.mintgate.it.harness.DeviceAuthorization;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.PartnerIssuer;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One narrowing policy (realm {@code narrowing-per-grant.json}: keep scope {@code orders:read}, audience {@code api-a}
 * (and {@code exchanger}, the token-exchange requester), realm role {@code reader}, at most 120 s of the realm's
 * 3600 s) applied on every grant path the authorizer covers beyond those of {@link NarrowingIT}. Every path asks for
 * more ({@code orders:write}, audience {@code api-b}, role {@code writer}) and must get exactly the narrowed token,
 * signed by the realm, in a response whose {@code scope} and {@code expires_in} describe it.
 */
@MintgateIT
class NarrowingPerGrantIT {

    private static final URI REDIRECT = URI.create("http://127.0.0.1/cb");
    private static final String REQUESTED = "openid orders:read orders:write";
    private static final long NARROWED_LIFETIME = 120;
    /** What every OIDC path keeps: {@code openid} marks the request and is never narrowed away. */
    private static final Set<String> NARROWED_OIDC_SCOPE = Set.of("openid", "orders:read");

    private AdminApi admin;
    private KeycloakRuntime keycloak;
    private RealmFixture realm;
    private OidcClient oidc;
    private PartnerIssuer partner;
    private CibaAuthenticationDevice cibaDevice;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) throws IOException {
        this.admin = admin;
        this.keycloak = keycloak;
        realm = RealmFixture.create(admin, "narrowing-per-grant.json");
        oidc = new OidcClient(keycloak, realm.name());
        String read = realm.createClientScope("orders:read", List.of());
        String write = realm.createClientScope("orders:write", List.of());
        String apis = realm.createClientScope("apis",
                List.of(RealmFixture.audienceMapper("api-a"), RealmFixture.audienceMapper("api-b")));
        for (String client : List.of("app", "portal", "exchanger", "rs")) {
            realm.attachClientScope(client, apis, "default");
            // the UMA token is built from the resource server's client session, which has no requested scopes
            realm.attachClientScope(client, read, "rs".equals(client) ? "default" : "optional");
            realm.attachClientScope(client, write, "rs".equals(client) ? "default" : "optional");
        }
        partner = new PartnerIssuer();
        partner.register(admin, realm);
        partner.link(admin, realm, "alice");
        cibaDevice = new CibaAuthenticationDevice(oidc);
    }

    @AfterAll
    void tearDown() {
        if (realm != null) {
            realm.close();
        }
        if (partner != null) {
            partner.close();
        }
        if (cibaDevice != null) {
            cibaDevice.close();
        }
    }

    @Test
    void authorizationCode() {
        assertNarrowed(codeFlow(), NARROWED_OIDC_SCOPE, List.of("api-a"));
    }

    /**
     * Keycloak 26.7.3's implicit redirect carries {@code expires_in} but never {@code scope} (OIDCLoginProtocol adds only
     * access_token, token_type and expires_in), although RFC 6749 section 4.2.2 requires it once it differs from the
     * requested scope, as it does after narrowing; no extension point reaches that redirect. So {@code scope} is
     * checked only if present.
     */
    @Test
    void implicit() {
        BrowserLogin.Result result = new BrowserLogin(keycloak).open(authorize("token"), "alice", "alice-password");
        assertThat(result.param("error")).as("error in %s", result.location()).isNull();
        assertThat(result.param("access_token")).as("access token in %s", result.location()).isNotNull();
        assertNarrowed(oidc.verify(result.param("access_token")), result.param("scope"),
                Long.parseLong(result.param("expires_in")), NARROWED_OIDC_SCOPE, List.of("api-a"));
    }

    @Test
    void deviceCode() {
        DeviceAuthorization device = new DeviceAuthorization(keycloak, oidc);
        DeviceAuthorizationSuccessResponse authorization = device.authorize(client("app"), REQUESTED);
        device.approveInBrowser(authorization, "alice", "alice-password");
        assertNarrowed(device.pollForToken(client("app"), authorization), NARROWED_OIDC_SCOPE, List.of("api-a"));
    }

    @Test
    void ciba() {
        CIBARequestAcknowledgement ack = cibaDevice.authenticate(client("app"), REQUESTED, "alice");
        cibaDevice.approve("alice");
        assertNarrowed(cibaDevice.pollForToken(client("app"), ack), NARROWED_OIDC_SCOPE, List.of("api-a"));
    }

    @Test
    void jwtAuthorizationGrant() {
        JWTBearerGrant grant = new JWTBearerGrant(partner.assertion(oidc, "alice", Duration.ofMinutes(5)));
        assertNarrowed(oidc.token(grant, client("app"), REQUESTED), NARROWED_OIDC_SCOPE, List.of("api-a"));
    }

    @Test
    void tokenExchange() {
        AccessTokenResponse subject = assertNarrowed(password("portal"), NARROWED_OIDC_SCOPE, List.of("api-a", "exchanger"));
        AccessTokenResponse exchanged = assertNarrowed(exchange(subject, null), NARROWED_OIDC_SCOPE, List.of("api-a"));
        JWTClaimsSet claims = oidc.verify(exchanged.getTokens().getAccessToken().getValue());
        // RFC 8693 act: the exchanging client acts for the subject (obligation actClaim); no act outside exchanges.
        assertThat(claims.getClaim("act")).as("act claim").isEqualTo(Map.of("sub", "exchanger", "client_id", "exchanger"));
        assertThat(oidc.verify(subject.getTokens().getAccessToken().getValue()).getClaim("act")).isNull();
    }

    /**
     * The requesting party token is built from the resource server's client session (its default scopes, no
     * {@code openid}). Keycloak then replaces its audience with the resource server alone ({@code rpt.audience("rs")}
     * in AuthorizationTokenService, before the token post-processors run), so the audience-mapper audiences never
     * reach it; the policy does not keep {@code rs}, so narrowing leaves the token with no audience at all.
     */
    @Test
    void umaTicket() {
        String accessToken = assertNarrowed(password("app"), NARROWED_OIDC_SCOPE, List.of("api-a"))
                .getTokens().getAccessToken().getValue();
        AccessTokenResponse rpt = assertNarrowed(oidc.uma(accessToken, "rs"), Set.of("orders:read"), List.of());
        assertThat(oidc.verify(rpt.getTokens().getAccessToken().getValue()).getClaim("authorization")).isNotNull();
    }

    /**
     * A narrowed subject token exchanged while asking for the scope ({@code orders:write}) and audience ({@code api-b})
     * that narrowing removed. Keycloak accepts the request ({@code api-b} is in the token it builds) and restricts the
     * audience to the requested one; the policy, applied again in the post-processor, then removes {@code api-b} and
     * {@code orders:write}. The answer is a token narrower than the subject token, with no audience at all.
     */
    @Test
    void tokenExchangeAskingForMoreThanTheSubjectTokenHadIsNarrowedNotBroadened() {
        AccessTokenResponse subject = assertNarrowed(password("portal"), NARROWED_OIDC_SCOPE, List.of("api-a", "exchanger"));
        JWTClaimsSet subjectClaims = oidc.verify(subject.getTokens().getAccessToken().getValue());

        AccessTokenResponse escalation = assertNarrowed(exchange(subject, "api-b"), NARROWED_OIDC_SCOPE, List.of());
        JWTClaimsSet claims = oidc.verify(escalation.getTokens().getAccessToken().getValue());
        assertThat(scopes(claims)).isSubsetOf(scopes(subjectClaims));
        assertThat(audiences(claims)).isSubsetOf(audiences(subjectClaims));
        assertThat(realmRoles(claims)).isSubsetOf(realmRoles(subjectClaims));
        assertThat(claims.getExpirationTime()).isBeforeOrEqualTo(new Date(
                claims.getIssueTime().getTime() + NARROWED_LIFETIME * 1000));
    }

    /**
     * The authorization-code path's refresh token, asked for the scope narrowing removed. Keycloak does not refuse
     * ({@code orders:write} is within what the client session was granted before narrowing); the narrowing the refresh
     * token carries is re-applied, so the refreshed token is exactly as narrow as the first one.
     */
    @Test
    void refreshOfANarrowedCodeFlowTokenAskingForMoreIsNarrowedAgain() {
        AccessTokenResponse first = assertNarrowed(codeFlow(), NARROWED_OIDC_SCOPE, List.of("api-a"));
        assertNarrowed(oidc.token(new RefreshTokenGrant(first.getTokens().getRefreshToken()), client("app"), REQUESTED),
                NARROWED_OIDC_SCOPE, List.of("api-a"));
    }

    // assertions

    private AccessTokenResponse assertNarrowed(TokenResponse response, Set<String> scope, List<String> audience) {
        assertThat(response.indicatesSuccess()).as("expected a token, got %s", response.indicatesSuccess() ? ""
                : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        AccessTokenResponse success = response.toSuccessResponse();
        var accessToken = success.getTokens().getAccessToken();
        assertNarrowed(oidc.verify(accessToken.getValue()), accessToken.getScope() == null ? null : accessToken.getScope().toString(),
                accessToken.getLifetime(), scope, audience);
        return success;
    }

    /** Exactly the narrowed scope, audience, realm roles and lifetime; the response describes this token. */
    private static void assertNarrowed(JWTClaimsSet claims, String responseScope, long expiresIn, Set<String> scope,
                                       List<String> audience) {
        assertThat(scopes(claims)).as("token scope").containsExactlyInAnyOrderElementsOf(scope);
        assertThat(claims.getAudience()).as("token aud").containsExactlyInAnyOrderElementsOf(audience);
        assertThat(realmRoles(claims)).as("realm_access.roles").containsExactly("reader");
        assertThat(claims.getClaim("resource_access")).as("resource_access (no client role kept)").isNull();
        assertThat(lifetime(claims)).as("exp - iat").isEqualTo(NARROWED_LIFETIME);
        assertThat(claims.getClaim("mintgate_decision_id")).as("decision id claim (obligation decisionIdClaim)")
                .asString().matches("[0-9a-f-]{36}");
        if (responseScope != null) {
            assertThat(responseScope).as("response scope").isEqualTo(claims.getClaim("scope"));
        }
        assertThat(expiresIn).as("response expires_in").isBetween(NARROWED_LIFETIME - 10, NARROWED_LIFETIME);
    }

    private static Set<String> scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        return scope == null ? Set.of() : Arrays.stream(scope.toString().trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    private static List<String> audiences(JWTClaimsSet claims) {
        return claims.getAudience() == null ? List.of() : claims.getAudience();
    }

    @SuppressWarnings("unchecked")
    private static List<String> realmRoles(JWTClaimsSet claims) {
        Object realmAccess = claims.getClaim("realm_access");
        return realmAccess instanceof Map<?, ?> access && access.get("roles") instanceof List<?> roles
                ? (List<String>) roles : List.of();
    }

    private static long lifetime(JWTClaimsSet claims) {
        return claims.getExpirationTime().toInstant().getEpochSecond() - claims.getIssueTime().toInstant().getEpochSecond();
    }

    // requests

    private URI authorize(String responseType) {
        return URI.create(oidc.realmUri() + "/protocol/openid-connect/auth?client_id=app&response_type=" + responseType
                + "&scope=" + REQUESTED.replace(" ", "%20") + "&nonce=n-0S6_WzA2Mj&redirect_uri=" + REDIRECT);
    }

    private TokenResponse codeFlow() {
        BrowserLogin.Result result = new BrowserLogin(keycloak).open(authorize("code"), "alice", "alice-password");
        String code = result.param("code");
        assertThat(code).as("authorization code in %s", result.location()).isNotNull();
        return oidc.token(new AuthorizationCodeGrant(new AuthorizationCode(code), REDIRECT), client("app"), null);
    }

    private TokenResponse password(String clientId) {
        return oidc.token(new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-password")),
                client(clientId), REQUESTED);
    }

    /** Standard token exchange (v2) by {@code exchanger}, asking for {@link #REQUESTED} and optionally an audience. */
    private TokenResponse exchange(AccessTokenResponse subject, String audience) {
        TokenExchangeGrant grant = new TokenExchangeGrant(new BearerAccessToken(subject.getTokens().getAccessToken().getValue()),
                TokenTypeURI.ACCESS_TOKEN, null, null, null, audience == null ? null : List.of(new Audience(audience)));
        return oidc.token(grant, client("exchanger"), REQUESTED);
    }

    private static ClientSecretBasic client(String clientId) {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
    }
}
