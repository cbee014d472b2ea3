package io.mintgate.it.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
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
 * The simulator against reality on the grants decided away from the plain token-response events of
 * {@link SimulatorIT}: the device grant, CIBA, the JWT authorization grant and token exchange (with and without a
 * requested audience). Realm {@code narrowing-per-grant.json}: one policy narrows every path to scope
 * {@code orders:read}, audience {@code api-a} (and {@code exchanger}), realm role {@code reader} and 120 s. For each,
 * the simulator's outcome, scopes, audiences, realm roles and lifetime equal those of the token the real grant
 * returned (verified with Nimbus).
 */
@MintgateIT
class SimulatorGrantsIT {

    private static final String REQUESTED = "openid orders:read orders:write";

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
        for (String client : List.of("app", "portal", "exchanger")) {
            realm.attachClientScope(client, apis, "default");
            realm.attachClientScope(client, read, "optional");
            realm.attachClientScope(client, write, "optional");
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
    void theDeviceGrantsTokenIsWhatTheSimulatorSaid() {
        DeviceAuthorization device = new DeviceAuthorization(keycloak, oidc);
        DeviceAuthorizationSuccessResponse authorization = device.authorize(client("app"), REQUESTED);
        device.approveInBrowser(authorization, "alice", "alice-password");
        JWTClaimsSet real = verified(device.pollForToken(client("app"), authorization));

        JsonNode simulated = simulate(Map.of("clientId", "app", "grantType", "urn:ietf:params:oauth:grant-type:device_code",
                "scope", REQUESTED, "subject", Map.of("username", "alice")));
        assertSame(simulated, real, "DEVICE_TOKEN_RESPONSE");
    }

    @Test
    void aCibaTokenIsWhatTheSimulatorSaid() {
        CIBARequestAcknowledgement ack = cibaDevice.authenticate(client("app"), REQUESTED, "alice");
        cibaDevice.approve("alice");
        JWTClaimsSet real = verified(cibaDevice.pollForToken(client("app"), ack));

        JsonNode simulated = simulate(Map.of("clientId", "app", "grantType", "urn:openid:params:grant-type:ciba",
                "scope", REQUESTED, "subject", Map.of("username", "alice")));
        assertSame(simulated, real, "BACKCHANNEL_TOKEN_RESPONSE");
    }

    @Test
    void aJwtAuthorizationGrantTokenIsWhatTheSimulatorSaidForTheLinkedUser() {
        JWTClaimsSet real = verified(oidc.token(new JWTBearerGrant(partner.assertion(oidc, "alice", Duration.ofMinutes(5))),
                client("app"), REQUESTED));

        JsonNode simulated = simulate(Map.of("clientId", "app", "grantType", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "scope", REQUESTED, "subject", Map.of("identityProvider", PartnerIssuer.ALIAS,
                        "federatedSubject", PartnerIssuer.subjectOf("alice")),
                "context", Map.of("workload", Map.of("issuer", PartnerIssuer.ISSUER,
                        "subject", PartnerIssuer.subjectOf("alice")))));
        assertSame(simulated, real, "JWT_AUTHORIZATION_GRANT");
        assertThat(simulated.at("/context/subject/username").asText()).isEqualTo("alice");
    }

    @Test
    void tokenExchangesWithAndWithoutAnAudienceAreWhatTheSimulatorSaid() {
        AccessTokenResponse subject = success(oidc.token(new ResourceOwnerPasswordCredentialsGrant("alice",
                new Secret("alice-password")), client("portal"), REQUESTED));
        for (String audience : new String[]{null, "api-b"}) {
            TokenExchangeGrant grant = new TokenExchangeGrant(new BearerAccessToken(subject.getTokens().getAccessToken().getValue()),
                    TokenTypeURI.ACCESS_TOKEN, null, null, null, audience == null ? null : List.of(new Audience(audience)));
            JWTClaimsSet real = verified(oidc.token(grant, client("exchanger"), REQUESTED));

            Map<String, Object> body = new LinkedHashMap<>(Map.of("clientId", "exchanger",
                    "grantType", "urn:ietf:params:oauth:grant-type:token-exchange", "scope", REQUESTED,
                    "subject", Map.of("username", "alice")));
            if (audience != null) {
                body.put("audience", List.of(audience));
            }
            JsonNode simulated = simulate(body);
            assertSame(simulated, real, "TOKEN_EXCHANGE_REQUEST");
            // before narrowing: Keycloak's audience restriction to the requested client, or every mapped audience
            List<String> before = texts(simulated.path("before").path("audiences"));
            if (audience == null) {
                assertThat(before).contains("api-a", "api-b");
            } else {
                assertThat(before).containsExactly(audience);
            }
        }
    }

    @Test
    void aTokenExchangeForARefreshTokenIsRefusedAsKeycloakRefusesItThenIssuedWithTheLifetimeTheSimulatorSaid()
            throws java.text.ParseException {
        AccessTokenResponse subject = success(oidc.token(new ResourceOwnerPasswordCredentialsGrant("alice",
                new Secret("alice-password")), client("portal"), REQUESTED));
        TokenExchangeGrant grant = new TokenExchangeGrant(new BearerAccessToken(subject.getTokens().getAccessToken().getValue()),
                TokenTypeURI.ACCESS_TOKEN, null, null, TokenTypeURI.REFRESH_TOKEN, null);
        Map<String, Object> body = new LinkedHashMap<>(Map.of("clientId", "exchanger",
                "grantType", "urn:ietf:params:oauth:grant-type:token-exchange", "scope", REQUESTED,
                "subject", Map.of("username", "alice"),
                "requestedTokenType", "urn:ietf:params:oauth:token-type:refresh_token"));

        // exchanger does not allow refresh tokens on exchange (Keycloak's default)
        TokenResponse refused = oidc.token(grant, client("exchanger"), REQUESTED);
        assertThat(refused.indicatesSuccess()).isFalse();
        assertThat(refused.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_request");
        assertThat(refused.toErrorResponse().getErrorObject().getDescription()).isEqualTo("requested_token_type unsupported");
        AdminApi.Response simulatedRefusal = admin.post(realm.path() + "/mintgate/simulate", body);
        assertThat(simulatedRefusal.status()).isEqualTo(400);
        assertThat(simulatedRefusal.body()).contains("invalid_request", "requested_token_type unsupported");
        JsonNode accessOnly = simulate(Map.of("clientId", "exchanger",
                "grantType", "urn:ietf:params:oauth:grant-type:token-exchange", "scope", REQUESTED,
                "subject", Map.of("username", "alice")));
        assertThat(accessOnly.at("/token/refreshToken").asBoolean(true)).as("no refresh token unless asked for").isFalse();

        setExchangerAttribute("standard.token.exchange.enableRefreshRequestedTokenType", "SAME_SESSION");
        try {
            AccessTokenResponse real = success(oidc.token(grant, client("exchanger"), REQUESTED));
            JsonNode simulated = simulate(body);
            assertSame(simulated, oidc.verify(real.getTokens().getAccessToken().getValue()), "TOKEN_EXCHANGE_REQUEST");
            assertThat(real.getTokens().getRefreshToken()).isNotNull();
            // Keycloak's refresh token is for Keycloak alone (HMAC-signed): its lifetime is read, not verified
            JWTClaimsSet refresh = com.nimbusds.jwt.JWTParser.parse(real.getTokens().getRefreshToken().getValue()).getJWTClaimsSet();
            assertThat(simulated.at("/token/refreshToken").asBoolean()).isTrue();
            assertThat(simulated.at("/token/refreshTokenLifetime").asLong())
                    .isEqualTo((refresh.getExpirationTime().getTime() - refresh.getIssueTime().getTime()) / 1000);
        } finally {
            setExchangerAttribute("standard.token.exchange.enableRefreshRequestedTokenType", "NO");
        }
    }

    private void setExchangerAttribute(String name, String value) {
        JsonNode exchanger = admin.get(realm.path() + "/clients?clientId=exchanger").expect(200).json().get(0);
        ((com.fasterxml.jackson.databind.node.ObjectNode) exchanger.path("attributes")).put(name, value);
        admin.put(realm.path() + "/clients/" + exchanger.path("id").asText(), exchanger).expect(204);
    }

    @Test
    void aGrantTheClientCannotUseOrAnAudienceNoClientHasIsA400NamingIt() {
        String path = realm.path() + "/mintgate/simulate";
        AdminApi.Response ciba = admin.post(path, Map.of("clientId", "portal", "grantType", "urn:openid:params:grant-type:ciba",
                "subject", Map.of("username", "alice")));
        assertThat(ciba.status()).isEqualTo(400);
        assertThat(ciba.body()).contains("CIBA is off");
        AdminApi.Response audience = admin.post(path, Map.of("clientId", "exchanger",
                "grantType", "urn:ietf:params:oauth:grant-type:token-exchange", "subject", Map.of("username", "alice"),
                "audience", "no-such-api"));
        assertThat(audience.status()).isEqualTo(400);
        assertThat(audience.body()).contains("audience", "no-such-api");
        AdminApi.Response notForThisGrant = admin.post(path, Map.of("clientId", "portal", "grantType", "password",
                "subject", Map.of("username", "alice"), "audience", "api-a"));
        assertThat(notForThisGrant.status()).isEqualTo(400);
        assertThat(notForThisGrant.body()).contains("audience: only for");
    }

    private void assertSame(JsonNode simulated, JWTClaimsSet real, String event) {
        assertThat(simulated.path("outcome").asText()).isEqualTo("allow");
        assertThat(simulated.at("/context/event").asText()).isEqualTo(event);
        JsonNode token = simulated.path("token");
        assertThat(new TreeSet<>(texts(token.path("scopes")))).as("scopes").isEqualTo(scopes(real));
        assertThat(new TreeSet<>(texts(token.path("audiences")))).as("audiences")
                .isEqualTo(new TreeSet<>(real.getAudience() == null ? List.of() : real.getAudience()));
        assertThat(new TreeSet<>(texts(token.path("realmRoles")))).as("realm roles").isEqualTo(realmRoles(real));
        long lifetime = (real.getExpirationTime().getTime() - real.getIssueTime().getTime()) / 1000;
        assertThat(token.path("accessTokenLifetime").asLong()).as("lifetime").isEqualTo(lifetime).isEqualTo(120);
    }

    private JsonNode simulate(Map<String, Object> body) {
        return admin.post(realm.path() + "/mintgate/simulate", new LinkedHashMap<>(body)).expect(200).json();
    }

    private static AccessTokenResponse success(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as(() -> response.toErrorResponse().getErrorObject().toString()).isTrue();
        return response.toSuccessResponse();
    }

    private JWTClaimsSet verified(TokenResponse response) {
        return oidc.verify(success(response).getTokens().getAccessToken().getValue());
    }

    private static ClientSecretBasic client(String clientId) {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
    }

    private static TreeSet<String> scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        return scope == null ? new TreeSet<>() : new TreeSet<>(Arrays.stream(scope.toString().trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toList());
    }

    @SuppressWarnings("unchecked")
    private static TreeSet<String> realmRoles(JWTClaimsSet claims) {
        Object realmAccess = claims.getClaim("realm_access");
        return realmAccess instanceof Map<?, ?> access && access.get("roles") instanceof List<?> roles
                ? new TreeSet<>((List<String>) roles) : new TreeSet<>();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
