package io.mintgate.it.pdp;

import static io.mintgate.it.authzenprofile.TokenIssuancePdp.deny;
import static io.mintgate.it.authzenprofile.TokenIssuancePdp.denyFor;
import static io.mintgate.it.authzenprofile.TokenIssuancePdp.permitWith;
import static io.mintgate.it.pdp.PdpAssertions.minted;
import static io.mintgate.it.pdp.PdpAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import io.mintgate.it.authzenprofile.TokenIssuancePdp;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Mintgate as the PEP of the AuthZEN Profile for OAuth 2.0 Token Issuance (Draft 1) and its token exchange binding,
 * on the real Keycloak, against {@link TokenIssuancePdp}, a PDP written from the profile as a separate fixture that
 * counts the calls it receives. Each test configures the PDP's policy, asks Keycloak for tokens with real OIDC
 * requests and asserts the verified token (or the error body) and what the PDP was asked.
 */
@MintgateIT
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthzenIssuanceProfileIT {

    private static final String API_A = "https://api-a.example";
    private static final String API_B = "https://api-b.example";
    private static final String GATE_CC = "issue:access_token:client_credentials";
    private static final String MESSAGE = "The policy decision point refused this token.";

    private static final String POLICY = """
            {"pdps": {"issuance": {"url": "%s", "profile": "token-issuance", "timeout": "PT1S", "cacheTtl": "PT0S",
                                   "maxEvaluations": 16}},
             "rules": [{"name": "issuance-profile", "match": "grant.type != 'password'",
                        "reason": "pdp_denied", "message": "%s",
                        "authzen": {"pdp": "issuance"}}]}""";

    private RealmFixture realm;
    private OidcClient oidc;
    private TokenIssuancePdp pdp;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        pdp = TokenIssuancePdp.start();
        realm = RealmFixture.create(admin, "authzen-profile.json");
        oidc = new OidcClient(keycloak, realm.name());
        PdpAssertions.installPolicy(admin, realm, POLICY.formatted(pdp.baseUri(), MESSAGE));
    }

    @AfterAll
    void tearDown() {
        if (realm != null) {
            realm.close();
        }
        if (pdp != null) {
            pdp.close();
        }
    }

    @BeforeEach
    void permitEverything() {
        pdp.policy().delay(Duration.ZERO);
    }

    /** Runs one token request and returns it, asserting that the PDP received exactly one batch call for it. */
    private TokenResponse oneBatch(java.util.function.Supplier<TokenResponse> request) {
        int batches = pdp.batchCalls();
        int singles = pdp.singleCalls();
        TokenResponse response = request.get();
        assertThat(pdp.batchCalls() - batches).as("Access Evaluations calls for one issuance").isEqualTo(1);
        assertThat(pdp.singleCalls() - singles).as("Access Evaluation calls for one issuance").isZero();
        return response;
    }

    private TokenResponse agent(String clientId, String scope) {
        return oneBatch(() -> oidc.clientCredentials(clientId, clientId + "-secret", scope));
    }

    private static List<String> actions(JsonNode request) {
        List<String> names = new ArrayList<>();
        request.get("evaluations").forEach(item -> names.add(item.at("/action/name").asText()));
        return names;
    }

    private static Set<String> scopes(JWTClaimsSet claims) throws Exception {
        return Set.of(claims.getStringClaim("scope").split(" "));
    }

    @Test
    @Order(1)
    void allowMintsTheTokenAfterOneBatchWithTheGateFirstThenOneScopeTuplePerScope() throws Exception {
        JWTClaimsSet claims = minted(oidc, agent("agent-one", "read write"));

        JsonNode request = pdp.lastReceived().body();
        assertThat(pdp.lastReceived().path()).isEqualTo("/access/v1/evaluations");
        assertThat(request.at("/subject/type").asText()).isEqualTo("client");
        assertThat(request.at("/subject/id").asText()).as("subject.id is the token's sub").isEqualTo(claims.getSubject());
        assertThat(request.at("/resource/type").asText()).isEqualTo("audience");
        assertThat(request.at("/resource/id").asText()).isEqualTo(API_A);
        assertThat(request.at("/context/client_id").asText()).isEqualTo("agent-one");
        assertThat(request.at("/options/evaluations_semantic").asText()).isEqualTo("execute_all");
        assertThat(actions(request)).hasSize(3).first().isEqualTo(GATE_CC);
        assertThat(actions(request).subList(1, 3)).containsExactlyInAnyOrder("read", "write");
        assertThat(claims.getAudience()).containsExactly(API_A);
        assertThat(scopes(claims)).contains("read", "write");
    }

    @Test
    @Order(2)
    void aDeniedGateRefusesTheTokenWithTheRulesReason() {
        pdp.policy(deny("issue:*", API_A));
        TokenResponse response = agent("agent-one", "read");

        refused(response, "pdp_denied");
        assertThat(response.toErrorResponse().getErrorObject().getDescription()).startsWith(MESSAGE);
    }

    @Test
    @Order(3)
    void withTwoTargetsADeniedGateRemovesOnlyItsTargetFromTheAudience() throws Exception {
        pdp.policy(deny("issue:*", API_B));
        JWTClaimsSet claims = minted(oidc, agent("agent-two", "read write"));

        JsonNode request = pdp.lastReceived().body();
        assertThat(request.has("resource")).as("each item names its own target").isFalse();
        assertThat(request.at("/evaluations/0/action/name").asText()).isEqualTo(GATE_CC);
        assertThat(request.at("/evaluations/1/action/name").asText()).isEqualTo(GATE_CC);
        assertThat(List.of(request.at("/evaluations/0/resource/id").asText(), request.at("/evaluations/1/resource/id").asText()))
                .containsExactlyInAnyOrder(API_A, API_B);
        assertThat(request.get("evaluations")).hasSize(6);
        assertThat(claims.getAudience()).containsExactly(API_A);
        assertThat(scopes(claims)).contains("read", "write");
    }

    @Test
    @Order(4)
    void aScopeDeniedAtOneOfTwoTargetsIsRemovedFromTokenAndResponse() throws Exception {
        pdp.policy(deny("write", API_B));
        TokenResponse response = agent("agent-two", "read write");
        JWTClaimsSet claims = minted(oidc, response);

        assertThat(claims.getAudience()).containsExactlyInAnyOrder(API_A, API_B);
        assertThat(scopes(claims)).contains("read").doesNotContain("write");
        assertThat(response.toSuccessResponse().getTokens().getAccessToken().getScope().toStringList())
                .contains("read").doesNotContain("write");
    }

    @Test
    @Order(5)
    void aLifetimeCeilingCapsTheTokenAndACeilingOfZeroRefusesIt() throws Exception {
        pdp.policy(permitWith("issue:*", API_A, Map.of("token_lifetime", 60)));
        JWTClaimsSet claims = minted(oidc, agent("agent-one", "read"));
        long lifetime = (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000;
        assertThat(lifetime).as("realm default 600 s, PDP ceiling 60 s").isLessThanOrEqualTo(60).isGreaterThan(0);

        pdp.policy(permitWith("issue:*", API_A, Map.of("token_lifetime", 0)));
        refused(agent("agent-one", "read"), "pdp_denied");
    }

    @Test
    @Order(6)
    void grantedScopeNarrowsTheScopesAndAClaimOfThePdpReachesTheToken() throws Exception {
        pdp.policy(permitWith("issue:*", API_A, Map.of("granted_scope", "read",
                "claims", Map.of("max_transfer_eur", 500), "crit", List.of("max_transfer_eur"))));
        JWTClaimsSet claims = minted(oidc, agent("agent-one", "read write"));

        assertThat(scopes(claims)).contains("read").doesNotContain("write");
        assertThat(claims.getLongClaim("max_transfer_eur")).isEqualTo(500L);
    }

    @Test
    @Order(7)
    void anUnknownCriticalMemberRefusesTheToken() {
        pdp.policy(permitWith("issue:*", API_A, Map.of("claims", Map.of("tier", "gold"), "crit", List.of("max_transfer_eur"))));
        refused(agent("agent-one", "read"), "policy_error");
    }

    @Test
    @Order(8)
    void anAnswerThatWouldBroadenTheTokenIsNotAppliedAndNoTokenIsMinted() {
        for (Map<String, Object> broadening : List.<Map<String, Object>>of(
                Map.of("granted_scope", "read admin"),
                Map.of("audience", List.of("https://elsewhere.example")),
                Map.of("claims", Map.of("sub", "someone-else")),
                Map.of("claims", Map.of("may_act", Map.of("sub", "agent-two"))))) {
            pdp.policy(permitWith("issue:*", API_A, broadening));
            refused(agent("agent-one", "read"), "policy_error");
        }
    }

    @Test
    @Order(9)
    void aTokenExchangeAsksTheSubjectGateTheRequestingPartyGateAndTheScopesAtTheProtectedResource() throws Exception {
        AccessTokenResponse subject = oidc.token(new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-password")),
                client("portal"), "read").toSuccessResponse();
        String aliceId = oidc.verify(subject.getTokens().getAccessToken().getValue()).getSubject();

        JWTClaimsSet exchanged = minted(oidc, oneBatch(() -> exchange(subject)));
        JsonNode request = pdp.lastReceived().body();
        List<JsonNode> items = new ArrayList<>();
        request.get("evaluations").forEach(items::add);

        assertThat(exchanged.getSubject()).isEqualTo(aliceId);
        assertThat(request.has("subject")).as("each item names its subject").isFalse();
        assertThat(items.get(0).at("/subject/type").asText()).isEqualTo("user");
        assertThat(items.get(0).at("/subject/id").asText()).isEqualTo(aliceId);
        assertThat(items.get(0).at("/action/name").asText()).isEqualTo("issue:access_token:token_exchange");
        assertThat(items.get(1).at("/subject/type").asText()).isEqualTo("client");
        assertThat(items.get(1).at("/subject/id").asText()).isEqualTo("exchanger");
        assertThat(items.get(1).at("/action/name").asText()).isEqualTo("issue:access_token:token_exchange");
        for (JsonNode scopeTuple : items.subList(2, items.size())) {
            assertThat(scopeTuple.at("/subject/id").asText()).isEqualTo(aliceId);
            assertThat(scopeTuple.at("/resource/type").asText()).isEqualTo("protected_resource");
        }
        assertThat(items.size()).as("two gates, then the scope tuples").isGreaterThan(2);
        assertThat(request.at("/context/client_id").asText()).isEqualTo("exchanger");
        assertThat(request.at("/context/subject_token_type").asText()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        assertThat(request.toString()).as("no raw token in the request")
                .doesNotContain(subject.getTokens().getAccessToken().getValue());

        // binding Section 7: either gate denied is invalid_request, and the two are indistinguishable
        pdp.policy(denyFor("issue:*", "exchanger"));
        TokenResponse requester = oneBatch(() -> exchange(subject));
        refused(requester, "pdp_denied", "invalid_request");
        pdp.policy(denyFor("issue:*", aliceId));
        TokenResponse subjectGate = oneBatch(() -> exchange(subject));
        refused(subjectGate, "pdp_denied", "invalid_request");
        assertThat(subjectGate.toErrorResponse().getErrorObject().getDescription().replaceAll("decision: [0-9a-f-]+", ""))
                .isEqualTo(requester.toErrorResponse().getErrorObject().getDescription()
                        .replaceAll("decision: [0-9a-f-]+", ""));
    }

    @Test
    @Order(10)
    void aPdpThatDoesNotAnswerInTimeRefusesTheTokenFailClosed() {
        pdp.delay(Duration.ofSeconds(2));
        TokenResponse late = agent("agent-one", "read");

        refused(late, "policy_error");
        assertThat(late.indicatesSuccess()).isFalse();
    }

    @Test
    @Order(11)
    void everyScopeDeniedIsInvalidScopeAsSection8Maps() {
        pdp.policy(deny("read", API_A), deny("write", API_A));
        refused(agent("agent-one", "read write"), "pdp_denied", "invalid_scope");
    }

    /** RFC 9396 entries: an initiate-or-cancel payment at API A, whose cells the PDP decides one by one. */
    private static final String PAYMENT = "[{\"type\": \"payment_initiation\", \"locations\": [\"" + API_A
            + "\"], \"actions\": [\"initiate\", \"cancel\"], \"instructedAmount\": {\"currency\": \"EUR\", \"amount\": \"12.00\"}}]";

    private TokenResponse withDetails(String details) {
        return oneBatch(() -> oidc.tokenWithForm(Map.of("grant_type", "client_credentials", "client_id", "agent-one",
                "client_secret", "agent-one-secret", "scope", "read", "authorization_details", details)));
    }

    @Test
    @Order(12)
    void eachAuthorizationDetailCellIsOneTupleAndADeniedCellNarrowsTheEntryInTokenAndResponse() throws Exception {
        pdp.policy(deny("cancel", API_A));
        TokenResponse response = withDetails(PAYMENT);
        JWTClaimsSet claims = minted(oidc, response);

        JsonNode request = pdp.lastReceived().body();
        List<String> actions = actions(request);
        assertThat(actions).startsWith(GATE_CC).endsWith("initiate", "cancel");
        JsonNode cell = request.get("evaluations").get(actions.size() - 2);
        assertThat(cell.at("/resource/type").asText()).isEqualTo("payment_initiation");
        assertThat(cell.at("/resource/id").asText()).isEqualTo(API_A);
        List<Map<String, Object>> expected = List.of(Map.of("type", "payment_initiation", "locations", List.of(API_A),
                "actions", List.of("initiate"), "instructedAmount", Map.of("currency", "EUR", "amount", "12.00")));
        assertThat(claims.getClaim("authorization_details")).as("signed token").isEqualTo(expected);
        // Nimbus reads the response's RFC 9396 member into the access token it parsed
        assertThat(com.nimbusds.oauth2.sdk.rar.AuthorizationDetail.toJSONArray(
                response.toSuccessResponse().getTokens().getAccessToken().getAuthorizationDetails()))
                .as("token response").isEqualTo(expected);
    }

    @Test
    @Order(13)
    void aPdpsAuthorizationDetailsNarrowingIsAppliedAndOneThatWouldBroadenIsRefused() throws Exception {
        Map<String, Object> initiateOnly = Map.of("type", "payment_initiation", "locations", List.of(API_A),
                "actions", List.of("initiate"), "instructedAmount", Map.of("currency", "EUR", "amount", "12.00"));
        pdp.policy(permitWith("issue:*", API_A, Map.of("authorization_details", List.of(initiateOnly))));
        assertThat(minted(oidc, withDetails(PAYMENT)).getClaim("authorization_details")).isEqualTo(List.of(initiateOnly));

        for (Map<String, Object> broadening : List.<Map<String, Object>>of(
                Map.of("type", "payment_initiation", "locations", List.of(API_A), "actions", List.of("initiate", "refund"),
                        "instructedAmount", Map.of("currency", "EUR", "amount", "12.00")),
                Map.of("type", "payment_initiation", "locations", List.of(API_A), "actions", List.of("initiate"),
                        "instructedAmount", Map.of("currency", "EUR", "amount", "9000.00")),
                Map.of("type", "payment_initiation", "locations", List.of(API_B), "actions", List.of("initiate"),
                        "instructedAmount", Map.of("currency", "EUR", "amount", "12.00")))) {
            pdp.policy(permitWith("issue:*", API_A, Map.of("authorization_details", List.of(broadening))));
            refused(withDetails(PAYMENT), "policy_error");
        }
    }

    @Test
    @Order(14)
    void noSurvivingAuthorizationDetailIsInvalidAuthorizationDetailsAsSection8Maps() {
        pdp.policy(deny("initiate", API_A), deny("cancel", API_A));
        refused(withDetails(PAYMENT), "pdp_denied", "invalid_authorization_details");
    }

    private TokenResponse exchange(AccessTokenResponse subject) {
        TokenExchangeGrant grant = new TokenExchangeGrant(new BearerAccessToken(subject.getTokens().getAccessToken().getValue()),
                TokenTypeURI.ACCESS_TOKEN);
        return oidc.token(grant, client("exchanger"), null);
    }

    private static ClientSecretBasic client(String clientId) {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
    }
}
