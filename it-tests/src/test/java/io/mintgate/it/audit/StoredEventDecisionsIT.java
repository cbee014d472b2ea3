package io.mintgate.it.audit;

import static io.mintgate.it.audit.AuditGrants.accessToken;
import static io.mintgate.it.audit.AuditGrants.decisionId;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.text.ParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.ciba.CIBARequestAcknowledgement;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditTrail;
import io.mintgate.it.harness.CibaAuthenticationDevice;
import io.mintgate.it.harness.DeviceAuthorization;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import io.mintgate.it.harness.StoredEvents;
import io.mintgate.it.harness.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the realm's event store on, the events Keycloak stores (what an admin sees in Realm settings → Events and
 * {@code GET /admin/realms/{realm}/events}) carry the {@code mintgate_*} decision details, for an allowed, a refused
 * and a shadow-denied issuance on each grant path: client credentials, password, refresh, authorization code, token
 * exchange and UMA (realm {@code grants.json}), device code, CIBA and the JWT authorization grant (their own
 * realms). The decision id is the one in the token, in the OAuth error description and in the audit record.
 */
@MintgateIT
class StoredEventDecisionsIT {

    /** The grant realms' refusals, plus a shadow rule that watches some clients and users, and a narrowing. */
    private static final String POLICY = """
            {"rules": [
              {"name": "flagged-clients", "deny": "'test.deny' in client.attributes", "message": "this client is flagged",
               "reason": "client_flagged"},
              {"name": "flagged-subjects", "deny": "'test.deny' in subject.attributes",
               "message": "this subject is flagged", "reason": "subject_flagged"},
              {"name": "watched", "mode": "shadow", "reason": "watched",
               "deny": "'test.watch' in client.attributes || 'test.watch' in subject.attributes"},
              {"name": "stamp", "allowIf": "true", "reason": "stamp",
               "obligations": {"decisionIdClaim": "true", "maxAccessTokenLifetime": "duration('120s')"}}
            ]}""";
    private static final List<String> STORED_TYPES = List.of("CLIENT_LOGIN", "CLIENT_LOGIN_ERROR", "LOGIN",
            "LOGIN_ERROR", "REFRESH_TOKEN", "REFRESH_TOKEN_ERROR", "CODE_TO_TOKEN", "CODE_TO_TOKEN_ERROR",
            "TOKEN_EXCHANGE", "TOKEN_EXCHANGE_ERROR", "PERMISSION_TOKEN", "PERMISSION_TOKEN_ERROR",
            "OAUTH2_DEVICE_CODE_TO_TOKEN", "OAUTH2_DEVICE_CODE_TO_TOKEN_ERROR", "AUTHREQID_TO_TOKEN",
            "AUTHREQID_TO_TOKEN_ERROR", "JWT_AUTHORIZATION_GRANT", "JWT_AUTHORIZATION_GRANT_ERROR");
    private static final String PARTNER = "https://partner.example.test/issuer";

    /** One realm under test: where its tokens come from and where its events are stored. */
    private record Realm(RealmFixture fixture, OidcClient oidc, StoredEvents stored) {
    }

    private AdminApi admin;
    private KeycloakRuntime keycloak;
    private AuditTrail audit;
    private Realm grantsRealm;
    private Realm deviceRealm;
    private Realm cibaRealm;
    private Realm jwtRealm;
    private AuditGrants grants;
    private CibaAuthenticationDevice cibaDevice;
    private TestIssuer partner;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) throws IOException {
        this.admin = admin;
        this.keycloak = keycloak;
        audit = new AuditTrail(keycloak);
        grantsRealm = realm("grants.json");
        grants = new AuditGrants(admin, keycloak, grantsRealm.fixture());
        admin.post(grantsRealm.fixture().path() + "/clients", Map.of("clientId", "svc-watched",
                "secret", "svc-watched-secret", "publicClient", false, "serviceAccountsEnabled", true,
                "standardFlowEnabled", false, "attributes", Map.of("test.watch", "true"))).expect(201);
        deviceRealm = realm("device-grant.json");
        cibaRealm = realm("ciba-grant.json");
        cibaDevice = new CibaAuthenticationDevice(cibaRealm.oidc());
        jwtRealm = realm("jwt-grant.json");
        partner = new TestIssuer();
        admin.post(jwtRealm.fixture().path() + "/identity-provider/instances", Map.of("alias", "partner",
                "providerId", "jwt-authorization-grant", "enabled", true, "config", Map.of("issuer", PARTNER,
                        "useJwksUrl", "true", "jwksUrl", partner.jwksUrl(),
                        "jwtAuthorizationGrantAssertionSignatureAlg", "RS256"))).expect(201);
        for (String username : List.of("alice", "mallory", "watched")) {
            String id = admin.userId(jwtRealm.fixture().name(), username);
            admin.post(jwtRealm.fixture().path() + "/users/" + id + "/federated-identity/partner", Map.of(
                    "identityProvider", "partner", "userId", "partner-" + username, "userName", username)).expect(204);
        }
    }

    /** The realm with this test's policy, its event store on, and a user {@code watched} that the shadow rule watches. */
    private Realm realm(String resource) {
        RealmFixture fixture = RealmFixture.create(admin, resource);
        admin.put(fixture.path() + "/client-policies/profiles", Map.of("profiles", List.of(Map.of("name", "mintgate",
                "executors", List.of(Map.of("executor", "issuance-authorizer", "configuration",
                        Map.of("policy", POLICY))))))).expect(204);
        StoredEvents stored = new StoredEvents(admin, fixture.name());
        stored.enable(List.of("jboss-logging", "mintgate-audit"), STORED_TYPES);
        admin.post(fixture.path() + "/users", Map.of("username", "watched", "enabled", true, "emailVerified", true,
                "firstName", "Watched", "lastName", "Test", "email", "watched@example.com",
                "attributes", Map.of("test.watch", List.of("true")),
                "credentials", List.of(Map.of("type", "password", "value", "watched-password", "temporary", false))))
                .expect(201);
        return new Realm(fixture, new OidcClient(keycloak, fixture.name()), stored);
    }

    @AfterAll
    void tearDown() {
        for (AutoCloseable closeable : new AutoCloseable[] {cibaDevice, partner}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                System.out.println("[StoredEventDecisionsIT] cleanup: " + e);
            }
        }
        for (Realm realm : new Realm[] {grantsRealm, deviceRealm, cibaRealm, jwtRealm}) {
            if (realm != null) {
                realm.fixture().close();
            }
        }
    }

    @Test
    void clientCredentials() {
        assertAllowed(grantsRealm, grants.clientCredentials("svc"), "CLIENT_LOGIN");
        assertRefused(grantsRealm, grants.clientCredentials("svc-flagged"), "CLIENT_LOGIN_ERROR", "flagged-clients",
                "client_flagged");
        assertShadowDenied(grantsRealm, grants.clientCredentials("svc-watched"), "CLIENT_LOGIN");
    }

    @Test
    void password() {
        assertAllowed(grantsRealm, grants.password("alice"), "LOGIN");
        assertRefused(grantsRealm, grants.password("mallory"), "LOGIN_ERROR", "flagged-subjects", "subject_flagged");
        assertShadowDenied(grantsRealm, grants.password("watched"), "LOGIN");
    }

    @Test
    void refresh() {
        assertAllowed(grantsRealm, grants.refresh(refreshToken(grants.password("alice"))), "REFRESH_TOKEN");
        RefreshToken beforeFlagged = refreshToken(grants.password("refresh-user"));
        grants.flag("refresh-user");
        assertRefused(grantsRealm, grants.refresh(beforeFlagged), "REFRESH_TOKEN_ERROR", "flagged-subjects",
                "subject_flagged");
        assertShadowDenied(grantsRealm, grants.refresh(refreshToken(grants.password("watched"))), "REFRESH_TOKEN");
    }

    @Test
    void authorizationCode() {
        assertAllowed(grantsRealm, grants.codeFlow("alice"), "CODE_TO_TOKEN");
        assertRefused(grantsRealm, grants.codeFlow("mallory"), "CODE_TO_TOKEN_ERROR", "flagged-subjects",
                "subject_flagged");
        assertShadowDenied(grantsRealm, grants.codeFlow("watched"), "CODE_TO_TOKEN");
    }

    @Test
    void tokenExchange() {
        String alice = accessToken(grants.password("alice"));
        assertAllowed(grantsRealm, grants.exchange("exchanger", alice), "TOKEN_EXCHANGE");
        assertRefused(grantsRealm, grants.exchange("exchanger-flagged", alice), "TOKEN_EXCHANGE_ERROR",
                "flagged-clients", "client_flagged");
        assertShadowDenied(grantsRealm, grants.exchange("exchanger", accessToken(grants.password("watched"))),
                "TOKEN_EXCHANGE");
    }

    /** Decided in the token post-processor; the refusal's event is Mintgate's own (Keycloak sends none there). */
    @Test
    void umaTicket() {
        assertAllowed(grantsRealm, grants.uma(accessToken(grants.password("alice"))), "PERMISSION_TOKEN");
        String umaUser = accessToken(grants.password("uma-user"));
        grants.flag("uma-user");
        assertRefused(grantsRealm, grants.uma(umaUser), "PERMISSION_TOKEN_ERROR", "flagged-subjects",
                "subject_flagged");
        assertShadowDenied(grantsRealm, grants.uma(accessToken(grants.password("watched"))), "PERMISSION_TOKEN");
    }

    @Test
    void deviceCode() {
        assertAllowed(deviceRealm, deviceFlow("alice"), "OAUTH2_DEVICE_CODE_TO_TOKEN");
        assertRefused(deviceRealm, deviceFlow("mallory"), "OAUTH2_DEVICE_CODE_TO_TOKEN_ERROR", "flagged-subjects",
                "subject_flagged");
        assertShadowDenied(deviceRealm, deviceFlow("watched"), "OAUTH2_DEVICE_CODE_TO_TOKEN");
    }

    @Test
    void ciba() {
        assertAllowed(cibaRealm, cibaFlow("alice"), "AUTHREQID_TO_TOKEN");
        assertRefused(cibaRealm, cibaFlow("mallory"), "AUTHREQID_TO_TOKEN_ERROR", "flagged-subjects",
                "subject_flagged");
        assertShadowDenied(cibaRealm, cibaFlow("watched"), "AUTHREQID_TO_TOKEN");
    }

    @Test
    void jwtAuthorizationGrant() throws ParseException {
        assertAllowed(jwtRealm, presentAssertion("alice"), "JWT_AUTHORIZATION_GRANT");
        assertRefused(jwtRealm, presentAssertion("mallory"), "JWT_AUTHORIZATION_GRANT_ERROR", "flagged-subjects",
                "subject_flagged");
        assertShadowDenied(jwtRealm, presentAssertion("watched"), "JWT_AUTHORIZATION_GRANT");
    }

    // what each kind of issuance leaves in the stored event

    private JsonNode assertAllowed(Realm realm, TokenResponse response, String type) {
        JWTClaimsSet token = realm.oidc().verify(accessToken(response));
        String decision = (String) token.getClaim("mintgate_decision_id");
        assertThat(decision).as("decision id claim of the %s token", type).isNotBlank();

        JsonNode details = storedWith(realm, type, decision).get("details");
        assertThat(details.path("mintgate_outcome").asText()).isEqualTo("allow");
        assertThat(details.path("mintgate_narrowed").asText()).as("what narrowing removed").contains("exp:120s");
        List<String> removals = Arrays.asList(details.path("mintgate_narrowed").asText().split(";"));
        assertThat(removals).as("each removal once: the store and the listener write an event once")
                .doesNotHaveDuplicates();

        JsonNode record = audit.await("for the token " + token.getJWTID(),
                r -> token.getJWTID().equals(r.at("/data/tokenId").asText()));
        assertThat(record.at("/data/decision/id").asText()).as("the audit record's decision").isEqualTo(decision);
        assertThat(record.at("/data/decision/narrowed").asText()).isEqualTo(details.path("mintgate_narrowed").asText());
        return details;
    }

    private void assertShadowDenied(Realm realm, TokenResponse response, String type) {
        JsonNode details = assertAllowed(realm, response, type);
        assertThat(details.path("mintgate_shadow_denials").asText()).contains("watched:watched");
    }

    private void assertRefused(Realm realm, TokenResponse response, String type, String rule, String reason) {
        String decision = decisionId(response);

        JsonNode event = storedWith(realm, type, decision);
        assertThat(event.path("error").asText()).isEqualTo("access_denied");
        JsonNode details = event.get("details");
        assertThat(details.path("mintgate_outcome").asText()).isEqualTo("deny");
        assertThat(details.path("mintgate_rule").asText()).isEqualTo(rule);
        assertThat(details.path("mintgate_reason").asText()).isEqualTo(reason);
        assertThat(details.path("mintgate_mode").asText()).isEqualTo("enforce");

        JsonNode record = audit.await("for the refusal " + decision,
                r -> decision.equals(r.at("/data/decision/id").asText()));
        assertThat(record.at("/type").asText()).endsWith("denied");
        assertThat(record.at("/data/decision/rule").asText()).isEqualTo(rule);
    }

    private static JsonNode storedWith(Realm realm, String type, String decision) {
        return realm.stored().await(type, "with decision " + decision,
                e -> decision.equals(e.at("/details/mintgate_decision_id").asText()));
    }

    // the grant paths that need more than one request

    private static RefreshToken refreshToken(TokenResponse response) {
        accessToken(response);
        return response.toSuccessResponse().getTokens().getRefreshToken();
    }

    /** Device authorization, the user's approval in the browser, then the device's polling ({@code tv}). */
    private TokenResponse deviceFlow(String username) {
        DeviceAuthorization device = new DeviceAuthorization(keycloak, deviceRealm.oidc());
        ClientSecretBasic tv = new ClientSecretBasic(new ClientID("tv"), new Secret("tv-secret"));
        DeviceAuthorizationSuccessResponse authorization = device.authorize(tv, "openid");
        device.approveInBrowser(authorization, username, username + "-password");
        return device.pollForToken(tv, authorization);
    }

    /** Backchannel authentication of {@code cd}, the user's approval on the authentication device, then polling. */
    private TokenResponse cibaFlow(String username) {
        ClientSecretBasic cd = new ClientSecretBasic(new ClientID("cd"), new Secret("cd-secret"));
        CIBARequestAcknowledgement ack = cibaDevice.authenticate(cd, "openid", username);
        cibaDevice.approve(username);
        return cibaDevice.pollForToken(cd, ack);
    }

    /** An assertion of the partner issuer about {@code username}, presented by {@code assertion-client}. */
    private TokenResponse presentAssertion(String username) throws ParseException {
        String assertion = partner.sign(PARTNER, "partner-" + username, jwtRealm.oidc().realmUri().toString(), Map.of());
        return jwtRealm.oidc().token(new JWTBearerGrant(SignedJWT.parse(assertion)),
                new ClientSecretBasic(new ClientID("assertion-client"), new Secret("assertion-client-secret")), null);
    }
}
