package io.mintgate.it.audit;

import static io.mintgate.it.audit.AuditGrants.REDIRECT;
import static io.mintgate.it.audit.AuditGrants.accessToken;
import static io.mintgate.it.audit.AuditGrants.decisionId;
import static io.mintgate.it.audit.AuditGrants.remember;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditSinks;
import io.mintgate.it.harness.BrowserLogin;
import io.mintgate.it.harness.CibaAuthenticationDevice;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import io.mintgate.it.harness.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The grant paths beyond {@link GrantAuditSinksIT}'s (device code, CIBA, JWT authorization grant, UMA ticket,
 * implicit), each issued and refused, reach EACH real sink (file, HTTP collector, Kafka topic) as the documented
 * CloudEvents record: {@code data.grantType} as Keycloak reports the path, the minted token's jti as
 * {@code data.tokenId}, and for a refusal the decision id the client saw in the OAuth error description. Each path
 * uses the realm its grant-path test uses; the policy refuses clients and users carrying {@code test.deny}.
 */
@MintgateIT
class MoreGrantAuditSinksIT {

    private static final String DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";
    private static final String CIBA = "urn:openid:params:grant-type:ciba";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String UMA_TICKET = "urn:ietf:params:oauth:grant-type:uma-ticket";
    /** Not a grant_type on the wire: the listener names a LOGIN with {@code response_type=token} "implicit". */
    private static final String IMPLICIT = "implicit";
    private static final String PARTNER = "https://partner.example.test/issuer";

    private AdminApi admin;
    private KeycloakRuntime keycloak;
    private AuditSinks sinks;
    private RealmFixture deviceRealm;
    private RealmFixture cibaRealm;
    private RealmFixture jwtRealm;
    private RealmFixture grantsRealm;
    private CibaAuthenticationDevice cibaDevice;
    private TestIssuer partner;

    @BeforeAll
    void importRealms(AdminApi admin, KeycloakRuntime keycloak, AuditSinks sinks) {
        this.admin = admin;
        this.keycloak = keycloak;
        this.sinks = sinks;
        deviceRealm = RealmFixture.create(admin, "device-grant.json");
        cibaRealm = RealmFixture.create(admin, "ciba-grant.json");
        try {
            cibaDevice = new CibaAuthenticationDevice(new OidcClient(keycloak, cibaRealm.name()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        partner = new TestIssuer();
        jwtRealm = RealmFixture.create(admin, "jwt-grant.json");
        // jwt-grant.json's clients trust the identity provider "partner"; its JWKS port is known only now.
        admin.post(jwtRealm.path() + "/identity-provider/instances", Map.of(
                "alias", "partner",
                "providerId", "jwt-authorization-grant",
                "enabled", true,
                "config", Map.of(
                        "issuer", PARTNER,
                        "useJwksUrl", "true",
                        "jwksUrl", partner.jwksUrl(),
                        "jwtAuthorizationGrantAssertionSignatureAlg", "RS256"))).expect(201);
        for (String username : new String[] {"alice", "mallory"}) {
            String id = admin.userId(jwtRealm.name(), username);
            admin.post(jwtRealm.path() + "/users/" + id + "/federated-identity/partner", Map.of(
                    "identityProvider", "partner", "userId", partnerSubject(username), "userName", username)).expect(204);
        }
        grantsRealm = RealmFixture.create(admin, "grants.json");
    }

    @AfterAll
    void dropRealms() {
        for (AutoCloseable closeable : new AutoCloseable[] {deviceRealm, cibaRealm, cibaDevice, jwtRealm, partner,
                grantsRealm}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                System.out.println("[MoreGrantAuditSinksIT] cleanup: " + e);
            }
        }
    }

    @Test
    void deviceCodeIssuedAndRefused() {
        OidcClient oidc = new OidcClient(keycloak, deviceRealm.name());
        SinkRecords records = new SinkRecords(keycloak, sinks, deviceRealm.name());

        TokenResponse issued = remember(deviceFlow(oidc, "tv", "alice"));
        assertIssued(records, oidc, issued, "tv", DEVICE_CODE);

        TokenResponse refused = deviceFlow(oidc, "tv", "mallory");
        JsonNode denial = records.refused(decisionId(refused), "tv", DEVICE_CODE);
        assertDenial(denial, deviceRealm, "mallory", "subject_flagged");
    }

    @Test
    void cibaIssuedAndRefused() {
        OidcClient oidc = new OidcClient(keycloak, cibaRealm.name());
        SinkRecords records = new SinkRecords(keycloak, sinks, cibaRealm.name());

        TokenResponse issued = remember(cibaFlow("cd", "alice"));
        assertIssued(records, oidc, issued, "cd", CIBA);

        TokenResponse refused = cibaFlow("cd", "mallory");
        JsonNode denial = records.refused(decisionId(refused), "cd", CIBA);
        assertDenial(denial, cibaRealm, "mallory", "subject_flagged");
    }

    @Test
    void jwtAuthorizationGrantIssuedAndRefused() throws Exception {
        OidcClient oidc = new OidcClient(keycloak, jwtRealm.name());
        SinkRecords records = new SinkRecords(keycloak, sinks, jwtRealm.name());

        TokenResponse issued = remember(presentAssertion(oidc, "assertion-client", "alice"));
        assertIssued(records, oidc, issued, "assertion-client", JWT_BEARER);

        TokenResponse refused = presentAssertion(oidc, "assertion-client", "mallory");
        JsonNode denial = records.refused(decisionId(refused), "assertion-client", JWT_BEARER);
        assertDenial(denial, jwtRealm, "mallory", "subject_flagged");
    }

    @Test
    void umaTicketIssuedAndRefused() {
        AuditGrants grants = new AuditGrants(admin, keycloak, grantsRealm);
        SinkRecords records = new SinkRecords(keycloak, sinks, grantsRealm.name());

        TokenResponse issued = grants.uma(accessToken(grants.password("alice")));
        assertIssued(records, grants.oidc(), issued, "app", UMA_TICKET);

        String umaUserToken = accessToken(grants.password("uma-user"));
        grants.flag("uma-user");
        JsonNode denial = records.refused(decisionId(grants.uma(umaUserToken)), "app", UMA_TICKET);
        assertDenial(denial, grantsRealm, "uma-user", "subject_flagged");
    }

    /**
     * The implicit refusal redirect carries no decision id (Keycloak 26.7.3 puts only the error code in
     * {@code error_description}), so the denial record is the one for this client, subject and reason. (Keycloak
     * sends that refusal's LOGIN_ERROR event twice: OIDCLoginProtocol calls {@code event.error} and
     * AuthenticationManager then calls {@code event.success()} on the same builder, so two denial records with
     * distinct ids carry the one decision; this test does not pin that count.)
     */
    @Test
    void implicitIssuedAndRefused() {
        AuditGrants grants = new AuditGrants(admin, keycloak, grantsRealm);
        SinkRecords records = new SinkRecords(keycloak, sinks, grantsRealm.name());

        BrowserLogin.Result issued = grants.implicitFlow("alice");
        assertThat(issued.param("error")).as("error in %s", issued.location()).isNull();
        String jti = grants.oidc().verify(issued.param("access_token")).getJWTID();
        records.issued(jti, "spa", IMPLICIT);

        BrowserLogin.Result refused = grants.implicitFlow("mallory");
        assertThat(refused.location().toString()).as("redirect").startsWith(REDIRECT.toString())
                .doesNotContain("access_token=", "id_token=");
        String malloryId = admin.userId(grantsRealm.name(), "mallory");
        JsonNode denial = records.refusedMatching("implicit refusal for mallory at spa",
                r -> SinkRecords.DENIED.equals(r.at("/type").asText()) && "spa".equals(r.at("/data/clientId").asText())
                        && malloryId.equals(r.at("/data/subject").asText())
                        && "subject_flagged".equals(r.at("/data/decision/reason").asText()),
                "spa", IMPLICIT);
        assertDenial(denial, grantsRealm, "mallory", "subject_flagged");
    }

    // helpers

    /** The issuance record names the jti of the access token the client received. */
    private static void assertIssued(SinkRecords records, OidcClient oidc, TokenResponse response, String clientId,
                                     String grantType) {
        String jti = oidc.verify(accessToken(response)).getJWTID();
        records.issued(jti, clientId, grantType);
    }

    /** The refusal is attributed to the user it refused, with the policy's reason. */
    private void assertDenial(JsonNode denial, RealmFixture realm, String username, String reason) {
        assertThat(denial.at("/data/subject").asText()).as("subject").isEqualTo(admin.userId(realm.name(), username));
        assertThat(denial.at("/data/decision/reason").asText()).as("reason").isEqualTo(reason);
    }

    private static String partnerSubject(String username) {
        return "partner-subject-" + username;
    }

    /** An RS256 assertion from the partner issuer about {@code username}, presented by {@code clientId}. */
    private TokenResponse presentAssertion(OidcClient oidc, String clientId, String username)
            throws java.text.ParseException {
        String assertion = partner.sign(PARTNER, partnerSubject(username), oidc.realmUri().toString(), Map.of());
        return oidc.token(new JWTBearerGrant(SignedJWT.parse(assertion)),
                new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret")), null);
    }

    /** Device authorization, the user's approval in the browser, then the device's polling. */
    private TokenResponse deviceFlow(OidcClient oidc, String clientId, String username) {
        io.mintgate.it.harness.DeviceAuthorization device = new io.mintgate.it.harness.DeviceAuthorization(keycloak, oidc);
        ClientSecretBasic client = new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
        com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse authorization = device.authorize(client, "openid");
        device.approveInBrowser(authorization, username, username + "-password");
        return device.pollForToken(client, authorization);
    }

    /** Backchannel authentication, the user's approval on the authentication device, then polling. */
    private TokenResponse cibaFlow(String clientId, String username) {
        ClientSecretBasic client = new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
        com.nimbusds.oauth2.sdk.ciba.CIBARequestAcknowledgement ack = cibaDevice.authenticate(client, "openid", username);
        cibaDevice.approve(username);
        return cibaDevice.pollForToken(client, ack);
    }
}
