package io.mintgate.it.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator ({@code POST /admin/realms/{realm}/mintgate/simulate}) against reality: for client credentials and
 * the password grant, allowed, refused by a rule, refused for the owner, narrowed and shadow-denied, the simulator's
 * outcome, reason and token contents equal what the real token request returned (tokens verified with Nimbus).
 */
@MintgateIT
class SimulatorIT {

    private AdminApi admin;
    private RealmFixture realm;
    private OidcClient oidc;
    private String ghostId;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        realm = RealmFixture.create(admin, "simulate.json");
        oidc = new OidcClient(keycloak, realm.name());
        // orphan-bot's owner is the disabled user ghost, by the id the realm gave it
        ghostId = admin.get(realm.path() + "/users?username=ghost&exact=true").expect(200).json().get(0).path("id").asText();
        JsonNode bot = admin.get(realm.path() + "/clients?clientId=orphan-bot").expect(200).json().get(0);
        ((com.fasterxml.jackson.databind.node.ObjectNode) bot.path("attributes")).put("mintgate.owner", ghostId);
        admin.put(realm.path() + "/clients/" + bot.path("id").asText(), bot).expect(204);
    }

    @AfterAll
    void tearDown() {
        realm.close();
    }

    @Test
    void aNarrowedClientCredentialsTokenIsWhatTheSimulatorSaid() throws Exception {
        JsonNode simulated = simulate(Map.of("clientId", "ci-runner", "grantType", "client_credentials", "scope", "read write"));
        JWTClaimsSet real = minted(oidc.clientCredentials("ci-runner", "ci-runner-secret", "read write"));

        assertThat(simulated.path("outcome").asText()).isEqualTo("allow");
        assertSameContents(simulated.path("token"), real);
        assertThat(texts(simulated.path("token").path("scopes"))).contains("read").doesNotContain("write");
        assertThat(texts(simulated.path("before").path("scopes"))).contains("read", "write");
        assertThat(simulated.path("token").path("accessTokenLifetime").asLong()).isEqualTo(120);
        assertThat(simulated.path("token").path("refreshToken").asBoolean(true)).isFalse();
        assertThat(simulated.at("/token/claims/team").asText()).isEqualTo(real.getStringClaim("team")).isEqualTo("ci");
        assertThat(simulated.at("/obligations/keepScopes/0").asText()).isEqualTo("read");
    }

    @Test
    void refusalsByARuleAndForTheOwnerAreWhatTheTokenEndpointAnswers() throws Exception {
        for (String[] c : List.of(new String[]{"rogue-agent", "agents_blocked", "no-agents"},
                new String[]{"orphan-bot", "owner_inactive", "owner-active"})) {
            JsonNode simulated = simulate(Map.of("clientId", c[0], "grantType", "client_credentials"));
            TokenResponse real = oidc.clientCredentials(c[0], c[0] + "-secret", null);
            assertThat(real.indicatesSuccess()).isFalse();
            assertThat(real.toErrorResponse().getErrorObject().getDescription()).contains("(reason: " + c[1] + ",");
            assertThat(simulated.path("outcome").asText()).isEqualTo("deny");
            assertThat(simulated.path("reason").asText()).isEqualTo(c[1]);
            assertThat(simulated.path("rule").asText()).isEqualTo(c[2]);
            assertThat(simulated.has("token")).as("no token on a refusal").isFalse();
        }
        JsonNode orphan = simulate(Map.of("clientId", "orphan-bot", "grantType", "client_credentials"));
        assertThat(orphan.at("/context/nhi/owner").asText()).isEqualTo(ghostId);
        assertThat(orphan.at("/context/nhi/ownerExists").asBoolean()).isTrue();
        assertThat(orphan.at("/context/nhi/ownerEnabled").asBoolean(true)).isFalse();
    }

    @Test
    void thePasswordGrantForAUserAndAShadowDenialAreWhatTheTokenEndpointDoes() throws Exception {
        ClientSecretBasic app = new ClientSecretBasic(new ClientID("app"), new Secret("app-secret"));
        for (String user : List.of("alice", "bob")) {
            JsonNode simulated = simulate(Map.of("clientId", "app", "grantType", "password", "scope", "read",
                    "subject", Map.of("username", user)));
            JWTClaimsSet real = minted(oidc.token(new ResourceOwnerPasswordCredentialsGrant(user,
                    new Secret(user + "-password")), app, "read"));
            assertThat(simulated.path("outcome").asText()).isEqualTo("allow");
            assertSameContents(simulated.path("token"), real);
            assertThat(simulated.path("token").path("refreshToken").asBoolean()).isTrue();
            List<String> shadow = new ArrayList<>();
            simulated.path("policies").forEach(p -> p.path("findings").forEach(f -> {
                if ("shadow".equals(f.path("mode").asText())) {
                    shadow.add(f.path("rule").asText());
                }
            }));
            assertThat(shadow).isEqualTo(user.equals("bob") ? List.of("watch-bob") : List.of());
        }
    }

    @Test
    void theTraceShowsTheDenyingRuleAndItsConditionTheRulesSkippedByMatchAndAShadowDenial() throws Exception {
        JsonNode agent = simulate(Map.of("clientId", "rogue-agent", "grantType", "client_credentials"));
        TokenResponse refused = oidc.clientCredentials("rogue-agent", "rogue-agent-secret", null);
        assertThat(refused.toErrorResponse().getErrorObject().getDescription()).contains("(reason: agents_blocked,");
        JsonNode trace = agent.at("/policies/0/trace");
        assertThat(steps(trace)).containsExactly("no-agents:denied", "owner-active:not_evaluated",
                "watch-bob:not_evaluated", "ci-narrow:not_evaluated");
        assertThat(trace.at("/0/reason").asText()).isEqualTo("agents_blocked");
        assertThat(trace.at("/0/message").asText()).isEqualTo("AI agents get no tokens here");
        assertThat(trace.at("/0/failed/field").asText()).isEqualTo("rules[0].deny");
        assertThat(trace.at("/0/failed/expression").asText()).isEqualTo("client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent'");

        JsonNode bob = simulate(Map.of("clientId", "app", "grantType", "password", "scope", "read",
                "subject", Map.of("username", "bob")));
        minted(oidc.token(new ResourceOwnerPasswordCredentialsGrant("bob", new Secret("bob-password")),
                new ClientSecretBasic(new ClientID("app"), new Secret("app-secret")), "read"));
        JsonNode bobTrace = bob.at("/policies/0/trace");
        List<String> bobSteps = steps(bobTrace);
        assertThat(bobSteps.get(0)).isEqualTo("no-agents:allowed");
        assertThat(bobSteps.subList(2, 4)).containsExactly("watch-bob:shadow_denied", "ci-narrow:skipped");
        assertThat(bobTrace.at("/2/mode").asText()).isEqualTo("shadow");
        assertThat(bobTrace.at("/2/reason").asText()).isEqualTo("bob_watch");
        assertThat(bobTrace.at("/2/failed/field").asText()).isEqualTo("rules[2].deny");
        assertThat(bobTrace.at("/2/failed/expression").asText()).isEqualTo("subject.username == 'bob'");

        JsonNode ci = simulate(Map.of("clientId", "ci-runner", "grantType", "client_credentials", "scope", "read"));
        assertThat(steps(ci.at("/policies/0/trace"))).containsExactly("no-agents:allowed", "owner-active:skipped",
                "watch-bob:allowed", "ci-narrow:allowed");
    }

    private static List<String> steps(JsonNode trace) {
        List<String> out = new ArrayList<>();
        trace.forEach(s -> out.add(s.path("rule").asText() + ":" + s.path("result").asText()));
        return out;
    }

    @Test
    void aDraftPolicyIsSimulatedWithoutChangingWhatTheLivePathDecides() throws Exception {
        JsonNode simulated = simulate(Map.of("clientId", "ci-runner", "grantType", "client_credentials",
                "policy", "{\"rules\": [{\"name\": \"freeze\", \"reason\": \"change_freeze\", \"deny\": \"true\"}]}"));
        assertThat(simulated.path("outcome").asText()).isEqualTo("deny");
        assertThat(simulated.path("reason").asText()).isEqualTo("change_freeze");
        assertThat(simulated.path("policySource").asText()).isEqualTo("draft");
        minted(oidc.clientCredentials("ci-runner", "ci-runner-secret", "read"));
    }

    @Test
    void badRequestsAreNamedAndAnUnknownClientIs404() {
        String path = realm.path() + "/mintgate/simulate";
        assertThat(admin.post(path, Map.of("clientId", "nobody", "grantType", "client_credentials")).status()).isEqualTo(404);
        AdminApi.Response grant = admin.post(path, Map.of("clientId", "ci-runner", "grantType", "implicit"));
        assertThat(grant.status()).isEqualTo(400);
        assertThat(grant.body()).contains("grantType: one of", "urn:ietf:params:oauth:grant-type:uma-ticket", "got implicit");
        AdminApi.Response uma = admin.post(path, Map.of("clientId", "ci-runner", "grantType", "urn:ietf:params:oauth:grant-type:uma-ticket"));
        assertThat(uma.status()).isEqualTo(400);
        assertThat(uma.body()).contains("audience: the resource server's client id is required");
        AdminApi.Response notOpen = admin.post(path, Map.of("clientId", "ci-runner", "grantType", "password",
                "subject", Map.of("username", "alice")));
        assertThat(notOpen.status()).isEqualTo(400);
        assertThat(notOpen.body()).contains("direct access grants are off");
        AdminApi.Response draft = admin.post(path, Map.of("clientId", "ci-runner", "grantType", "client_credentials",
                "policy", "{\"rules\": [{\"name\": \"x\", \"reason\": \"x\", \"deny\": \"client.clientid == 'x'\"}]}"));
        assertThat(draft.status()).isEqualTo(400);
        assertThat(draft.body()).contains("rules[0].deny", "clientid");
        AdminApi.Response context = admin.post(path, Map.of("clientId", "ci-runner", "grantType", "client_credentials",
                "context", Map.of("network", Map.of("sourceAdress", "10.0.0.1"))));
        assertThat(context.status()).isEqualTo(400);
        assertThat(context.body()).contains("sourceAdress");
    }

    private JsonNode simulate(Map<String, Object> body) {
        return admin.post(realm.path() + "/mintgate/simulate", new LinkedHashMap<>(body)).expect(200).json();
    }

    private JWTClaimsSet minted(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as(() -> response.toErrorResponse().getErrorObject().toString()).isTrue();
        return oidc.verify(response.toSuccessResponse().getTokens().getAccessToken().getValue());
    }

    /** Scopes, audiences, roles and lifetime of the simulated token against the verified real one. */
    @SuppressWarnings("unchecked")
    private static void assertSameContents(JsonNode simulated, JWTClaimsSet real) throws Exception {
        assertThat(new TreeSet<>(texts(simulated.path("scopes"))))
                .isEqualTo(new TreeSet<>(List.of(real.getStringClaim("scope").split(" "))));
        assertThat(new TreeSet<>(texts(simulated.path("audiences"))))
                .isEqualTo(new TreeSet<>(real.getAudience() == null ? List.of() : real.getAudience()));
        Map<String, Object> realmAccess = real.getJSONObjectClaim("realm_access");
        assertThat(new TreeSet<>(texts(simulated.path("realmRoles")))).isEqualTo(realmAccess == null ? new TreeSet<>()
                : new TreeSet<>((List<String>) realmAccess.get("roles")));
        long lifetime = (real.getExpirationTime().getTime() - real.getIssueTime().getTime()) / 1000;
        assertThat(simulated.path("accessTokenLifetime").asLong()).isEqualTo(lifetime);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
