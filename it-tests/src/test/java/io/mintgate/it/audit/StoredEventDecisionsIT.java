package io.mintgate.it.audit;

import static io.mintgate.it.audit.AuditGrants.accessToken;
import static io.mintgate.it.audit.AuditGrants.decisionId;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditTrail;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.RealmFixture;
import io.mintgate.it.harness.StoredEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the realm's event store on, the events Keycloak stores (what an admin sees in Realm settings → Events and
 * {@code GET /admin/realms/{realm}/events}) carry the {@code mintgate_*} decision details, for an allowed, a refused
 * and a shadow-denied issuance on each token-endpoint grant path of the {@code grants.json} realm; the decision id is
 * the one in the token, in the OAuth error description and in the audit record.
 */
@MintgateIT
class StoredEventDecisionsIT {

    /** grants.json's refusals, plus a shadow rule that watches some clients and users, and a narrowing that stamps. */
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
            "TOKEN_EXCHANGE", "TOKEN_EXCHANGE_ERROR", "PERMISSION_TOKEN", "PERMISSION_TOKEN_ERROR");

    private AdminApi admin;
    private RealmFixture realm;
    private AuditGrants grants;
    private StoredEvents stored;
    private AuditTrail audit;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        realm = RealmFixture.create(admin, "grants.json");
        grants = new AuditGrants(admin, keycloak, realm);
        audit = new AuditTrail(keycloak);
        stored = new StoredEvents(admin, realm.name());
        admin.put(realm.path() + "/client-policies/profiles", Map.of("profiles", List.of(Map.of("name", "mintgate",
                "executors", List.of(Map.of("executor", "issuance-authorizer", "configuration",
                        Map.of("policy", POLICY))))))).expect(204);
        stored.enable(List.of("jboss-logging", "mintgate-audit"), STORED_TYPES);
        admin.post(realm.path() + "/clients", Map.of("clientId", "svc-watched", "secret", "svc-watched-secret",
                "publicClient", false, "serviceAccountsEnabled", true, "standardFlowEnabled", false,
                "attributes", Map.of("test.watch", "true"))).expect(201);
        admin.post(realm.path() + "/users", Map.of("username", "watched", "enabled", true, "emailVerified", true,
                "firstName", "Watched", "lastName", "Test", "email", "watched@example.com",
                "attributes", Map.of("test.watch", List.of("true")),
                "credentials", List.of(Map.of("type", "password", "value", "watched-password", "temporary", false))))
                .expect(201);
    }

    @AfterAll
    void tearDown() {
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    void clientCredentials() {
        assertAllowed(grants.clientCredentials("svc"), "CLIENT_LOGIN");
        assertRefused(grants.clientCredentials("svc-flagged"), "CLIENT_LOGIN_ERROR", "flagged-clients", "client_flagged");
        assertShadowDenied(grants.clientCredentials("svc-watched"), "CLIENT_LOGIN");
    }

    @Test
    void password() {
        assertAllowed(grants.password("alice"), "LOGIN");
        assertRefused(grants.password("mallory"), "LOGIN_ERROR", "flagged-subjects", "subject_flagged");
        assertShadowDenied(grants.password("watched"), "LOGIN");
    }

    @Test
    void refresh() {
        assertAllowed(grants.refresh(refreshToken(grants.password("alice"))), "REFRESH_TOKEN");
        RefreshToken beforeFlagged = refreshToken(grants.password("refresh-user"));
        grants.flag("refresh-user");
        assertRefused(grants.refresh(beforeFlagged), "REFRESH_TOKEN_ERROR", "flagged-subjects", "subject_flagged");
        assertShadowDenied(grants.refresh(refreshToken(grants.password("watched"))), "REFRESH_TOKEN");
    }

    @Test
    void authorizationCode() {
        assertAllowed(grants.codeFlow("alice"), "CODE_TO_TOKEN");
        assertRefused(grants.codeFlow("mallory"), "CODE_TO_TOKEN_ERROR", "flagged-subjects", "subject_flagged");
        assertShadowDenied(grants.codeFlow("watched"), "CODE_TO_TOKEN");
    }

    @Test
    void tokenExchange() {
        String alice = accessToken(grants.password("alice"));
        assertAllowed(grants.exchange("exchanger", alice), "TOKEN_EXCHANGE");
        assertRefused(grants.exchange("exchanger-flagged", alice), "TOKEN_EXCHANGE_ERROR", "flagged-clients",
                "client_flagged");
        assertShadowDenied(grants.exchange("exchanger", accessToken(grants.password("watched"))), "TOKEN_EXCHANGE");
    }

    /** Decided in the token post-processor; the refusal's event is Mintgate's own (Keycloak sends none there). */
    @Test
    void umaTicket() {
        assertAllowed(grants.uma(accessToken(grants.password("alice"))), "PERMISSION_TOKEN");
        String umaUser = accessToken(grants.password("uma-user"));
        grants.flag("uma-user");
        assertRefused(grants.uma(umaUser), "PERMISSION_TOKEN_ERROR", "flagged-subjects", "subject_flagged");
        assertShadowDenied(grants.uma(accessToken(grants.password("watched"))), "PERMISSION_TOKEN");
    }

    // what each kind of issuance leaves in the stored event

    private JsonNode assertAllowed(TokenResponse response, String type) {
        JWTClaimsSet token = grants.oidc().verify(accessToken(response));
        String decision = (String) token.getClaim("mintgate_decision_id");
        assertThat(decision).as("decision id claim of the %s token", type).isNotBlank();

        JsonNode details = storedWith(type, decision).get("details");
        assertThat(details.path("mintgate_outcome").asText()).isEqualTo("allow");
        assertThat(details.path("mintgate_narrowed").asText()).as("what narrowing removed").contains("exp:120s");
        List<String> removals = Arrays.asList(details.path("mintgate_narrowed").asText().split(";"));
        assertThat(removals).as("each removal once: the store and the listener wrote the event once").doesNotHaveDuplicates();

        JsonNode record = audit.await("for the token " + token.getJWTID(),
                r -> token.getJWTID().equals(r.at("/data/tokenId").asText()));
        assertThat(record.at("/data/decision/id").asText()).as("the audit record's decision").isEqualTo(decision);
        assertThat(record.at("/data/decision/narrowed").asText()).isEqualTo(details.path("mintgate_narrowed").asText());
        return details;
    }

    private void assertShadowDenied(TokenResponse response, String type) {
        JsonNode details = assertAllowed(response, type);
        assertThat(details.path("mintgate_shadow_denials").asText()).contains("watched:watched");
    }

    private void assertRefused(TokenResponse response, String type, String rule, String reason) {
        String decision = decisionId(response);

        JsonNode event = storedWith(type, decision);
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

    private JsonNode storedWith(String type, String decision) {
        return stored.await(type, "with decision " + decision,
                e -> decision.equals(e.at("/details/mintgate_decision_id").asText()));
    }

    private static RefreshToken refreshToken(TokenResponse response) {
        accessToken(response);
        return response.toSuccessResponse().getTokens().getRefreshToken();
    }
}
