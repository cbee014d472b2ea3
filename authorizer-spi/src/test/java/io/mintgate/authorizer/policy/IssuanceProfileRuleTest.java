package io.mintgate.authorizer.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mintgate.authorizer.policy.authzen.AuthzenAnswer;
import io.mintgate.authorizer.policy.authzen.AuthzenClient;
import io.mintgate.authorizer.policy.authzen.AuthzenQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rule naming a {@code profile: token-issuance} PDP (AuthZEN Profile for OAuth 2.0 Token Issuance, Draft 1, and
 * its token exchange binding, Draft 1): the request Mintgate forms, checked against the profile's own examples
 * (Section 9 and binding Section 9), and how an answer becomes a refusal, a narrowing or an evaluation error.
 */
class IssuanceProfileRuleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String POLICY = """
            {"pdps": {"issuance": {"url": "https://pdp.example.com", "profile": "token-issuance", "maxEvaluations": 8}},
             "rules": [{"name": "issuance-pdp", "reason": "pdp_denied", "message": "The PDP said no.",
                        "authzen": {"pdp": "issuance"}}]}""";

    /** A PDP stand-in: records each query and answers with the given AuthZEN response body. */
    private static final class ProfilePdp implements DecisionServices {
        final List<AuthzenQuery> queries = new ArrayList<>();
        private final String response;
        Map<String, Object> exchangeContext = Map.of();

        ProfilePdp(String response) {
            this.response = response;
        }

        @Override
        public <T> T facility(Class<T> type) {
            AuthzenClient client = query -> {
                queries.add(query);
                return parse(query, response);
            };
            if (type == io.mintgate.authorizer.policy.authzen.ExchangeContext.class) {
                io.mintgate.authorizer.policy.authzen.ExchangeContext context = () -> exchangeContext;
                return type.cast(context);
            }
            return type == AuthzenClient.class ? type.cast(client) : null;
        }

        JsonNode body() throws Exception {
            assertThat(queries).hasSize(1);
            return JSON.readTree(queries.get(0).body());
        }
    }

    static AuthzenAnswer parse(AuthzenQuery query, String response) {
        try {
            JsonNode json = JSON.readTree(response);
            if (!query.batch()) {
                return new AuthzenAnswer(new boolean[] {json.get("decision").asBoolean()}, new JsonNode[] {json.get("context")});
            }
            JsonNode items = json.get("evaluations");
            boolean[] decisions = new boolean[items.size()];
            JsonNode[] contexts = new JsonNode[items.size()];
            for (int i = 0; i < decisions.length; i++) {
                decisions[i] = items.get(i).get("decision").asBoolean();
                contexts[i] = items.get(i).get("context");
            }
            return new AuthzenAnswer(decisions, contexts);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static PolicySet policy() {
        try {
            return PolicyCompiler.compile(POLICY);
        } catch (PolicyValidationException e) {
            throw new AssertionError(String.valueOf(e.problems()), e);
        }
    }

    private static IssuanceRequest request(String grantType, String subjectId, boolean serviceAccount, String clientId,
                                           List<String> audiences, List<String> scopes, String requestedTokenType) {
        return new IssuanceRequest("acme", Requests.TUESDAY_MORNING, "TOKEN_RESPONSE",
                new Grant(grantType, scopes, audiences, List.of(), requestedTokenType),
                new ClientInfo("c-1", clientId, "client-secret", false, Map.of(), List.of(), List.of()),
                new SubjectInfo(subjectId, subjectId, true, serviceAccount, Map.of(), List.of(), Map.of(), List.of()),
                null, null, null, null, null);
    }

    /** Section 9.1, "Client Credentials, One Scope". */
    private static IssuanceRequest clientCredentials() {
        return request("client_credentials", "svc-reporting", true, "svc-reporting",
                List.of("https://telemetry.example"), List.of("telemetry.write"), null);
    }

    /** Section 9.2, "Authorization Code, Downscoping". */
    private static IssuanceRequest downscoping() {
        return request("authorization_code", "U0405936", false, "chatterbox", List.of("https://api.example/files"),
                List.of("files.read", "files.write", "files.delete"), null);
    }

    /** A code grant for U0405936 at chatterbox with the RFC 9396 entries {@code details} (Sections 9.4, 9.5). */
    private static IssuanceRequest withDetails(List<String> targets, String details) {
        return new IssuanceRequest("acme", Requests.TUESDAY_MORNING, "TOKEN_RESPONSE",
                new Grant("authorization_code", List.of(), targets, List.of(), null, AuthorizationDetails.parse(details)),
                new ClientInfo("c-1", "chatterbox", "client-secret", false, Map.of(), List.of(), List.of()),
                new SubjectInfo("U0405936", "U0405936", true, false, Map.of(), List.of(), Map.of(), List.of()),
                null, null, null, null, null);
    }

    private static final String TWO_LOCATIONS = """
            [{"type": "customer_information",
              "locations": ["https://example.com/customers", "https://eu.example.com/customers"],
              "actions": ["read"], "datatypes": ["contacts", "photos"]}]""";

    @Test
    void theOneEntryExampleIsOneCellTupleBesideTheGateAndReassemblesToItselfAsSection9_4Shows() throws Exception {
        ProfilePdp pdp = new ProfilePdp("{\"evaluations\": [{\"decision\": true}, {\"decision\": true}]}");
        Decision decision = policy().evaluate(withDetails(List.of("https://example.com/customers"), """
                [{"type": "customer_information", "locations": ["https://example.com/customers"],
                  "actions": ["read"], "datatypes": ["contacts"]}]"""), pdp);

        assertThat(pdp.body()).isEqualTo(JSON.readTree("""
                {"subject": {"type": "user", "id": "U0405936"},
                 "context": {"client_id": "chatterbox"},
                 "evaluations": [
                   {"action": {"name": "issue:access_token:authorization_code"},
                    "resource": {"type": "audience", "id": "https://example.com/customers"}},
                   {"action": {"name": "read:contacts"},
                    "resource": {"type": "customer_information", "id": "https://example.com/customers"}}],
                 "options": {"evaluations_semantic": "execute_all"}}"""));
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.obligations().authorizationDetails()).as("reassembled to the request: nothing to narrow")
                .isNull();
    }

    @Test
    void theTwoTargetExampleSplitsTheEntryWhereOneCellIsDeniedAsSection9_5Shows() throws Exception {
        List<String> targets = List.of("https://example.com/customers", "https://eu.example.com/customers");
        ProfilePdp pdp = new ProfilePdp("""
                {"evaluations": [{"decision": true}, {"decision": true}, {"decision": true}, {"decision": true},
                  {"decision": true}, {"decision": false, "context": {"reason_admin": {"403": "residency R-4"}}}]}""");
        Decision decision = policy().evaluate(withDetails(targets, TWO_LOCATIONS), pdp);

        JsonNode items = pdp.body().get("evaluations");
        assertThat(pdp.body().has("resource")).isFalse();
        assertThat(items).hasSize(6);
        assertThat(items.get(2)).isEqualTo(JSON.readTree("""
                {"action": {"name": "read:contacts"},
                 "resource": {"type": "customer_information", "id": "https://example.com/customers"}}"""));
        assertThat(items.get(5)).isEqualTo(JSON.readTree("""
                {"action": {"name": "read:photos"},
                 "resource": {"type": "customer_information", "id": "https://eu.example.com/customers"}}"""));
        assertThat(decision.allowed()).isTrue();
        assertThat((JsonNode) JSON.valueToTree(decision.obligations().authorizationDetails().cells())).isEqualTo(JSON.readTree("""
                [{"type": "customer_information", "locations": ["https://example.com/customers"],
                  "actions": ["read"], "datatypes": ["contacts", "photos"]},
                 {"type": "customer_information", "locations": ["https://eu.example.com/customers"],
                  "actions": ["read"], "datatypes": ["contacts"]}]"""));
        // the token keeps exactly those cells
        List<Map<String, Object>> kept = AuthorizationDetails.narrow(AuthorizationDetails.parse(TWO_LOCATIONS),
                decision.obligations().authorizationDetails());
        assertThat(kept).isEqualTo(decision.obligations().authorizationDetails().cells());
    }

    @Test
    void aDeniedGateDisregardsTheCellsAtItsTargetAndNoSurvivingEntryRefuses() {
        List<String> targets = List.of("https://example.com/customers", "https://eu.example.com/customers");
        Decision gateDenied = policy().evaluate(withDetails(targets, TWO_LOCATIONS), new ProfilePdp("""
                {"evaluations": [{"decision": true}, {"decision": false}, {"decision": true}, {"decision": false},
                  {"decision": true}, {"decision": true}]}"""));
        assertThat(gateDenied.allowed()).isTrue();
        assertThat(gateDenied.obligations().keepAudiences()).containsExactly("https://example.com/customers");
        assertThat(gateDenied.obligations().authorizationDetails().cells()).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("locations", List.of("https://example.com/customers"))
                        .containsEntry("datatypes", List.of("contacts")));

        Decision noCell = policy().evaluate(withDetails(targets, TWO_LOCATIONS), new ProfilePdp("""
                {"evaluations": [{"decision": true}, {"decision": true}, {"decision": false}, {"decision": false},
                  {"decision": false}, {"decision": false}]}"""));
        assertThat(noCell.allowed()).isFalse();
        assertThat(noCell.reason()).isEqualTo("pdp_denied");
        assertThat(noCell.error()).as("Section 8").isEqualTo("invalid_authorization_details");
    }

    @Test
    void anEntryWithoutLocationsOrActionsIsAskedAtEveryTargetAndSurvivesOnlyWhereEveryTargetPermits() throws Exception {
        List<String> targets = List.of("api-a", "api-b");
        String entry = "[{\"type\": \"payment_initiation\", \"instructedAmount\": {\"amount\": \"5\"}}]";
        ProfilePdp pdp = new ProfilePdp("""
                {"evaluations": [{"decision": true}, {"decision": true}, {"decision": true}, {"decision": false}]}""");
        Decision decision = policy().evaluate(withDetails(targets, entry), pdp);
        JsonNode items = pdp.body().get("evaluations");
        assertThat(items.get(2)).isEqualTo(JSON.readTree("""
                {"action": {"name": "authorization_detail"}, "resource": {"type": "payment_initiation", "id": "api-a"}}"""));
        assertThat(items.get(3).at("/resource/id").asText()).isEqualTo("api-b");
        assertThat(decision.allowed()).as("denied at one surviving target: no entry survives").isFalse();

        Decision bothPermit = policy().evaluate(withDetails(targets, entry), new ProfilePdp("""
                {"evaluations": [{"decision": true}, {"decision": false}, {"decision": true}, {"decision": false}]}"""));
        assertThat(bothPermit.allowed()).as("the denial at a removed target is disregarded").isTrue();
        assertThat(bothPermit.obligations().authorizationDetails()).isNull();
        assertThat(bothPermit.obligations().keepAudiences()).containsExactly("api-a");
    }

    @Test
    void aPdpsAuthorizationDetailsNarrowingIsAppliedAndOneThatWouldBroadenFailsClosed() {
        List<String> targets = List.of("https://example.com/customers", "https://eu.example.com/customers");
        String permitAll = "{\"decision\": true}, {\"decision\": true}, {\"decision\": true}, {\"decision\": true}, "
                + "{\"decision\": true}, ";
        Decision narrowed = policy().evaluate(withDetails(targets, TWO_LOCATIONS), new ProfilePdp(
                "{\"evaluations\": [" + permitAll + """
                {"decision": true, "context": {"issuance": {"authorization_details": [
                  {"type": "customer_information", "locations": ["https://eu.example.com/customers"],
                   "actions": ["read"], "datatypes": ["photos"]}]}}}]}"""));
        assertThat(narrowed.allowed()).isTrue();
        assertThat(narrowed.obligations().authorizationDetails().cells()).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("datatypes", List.of("photos")));

        Map<String, String> broadening = Map.of(
                "a datatype not asked for", "{\"type\": \"customer_information\", \"locations\": [\"https://example.com/customers\"], \"actions\": [\"read\"], \"datatypes\": [\"salary\"]}",
                "an action not asked for", "{\"type\": \"customer_information\", \"locations\": [\"https://example.com/customers\"], \"actions\": [\"write\"], \"datatypes\": [\"contacts\"]}",
                "no actions (any)", "{\"type\": \"customer_information\", \"locations\": [\"https://example.com/customers\"], \"datatypes\": [\"contacts\"]}",
                "another type", "{\"type\": \"payment_initiation\", \"locations\": [\"https://example.com/customers\"], \"actions\": [\"read\"]}",
                "a member of its own", "{\"type\": \"customer_information\", \"locations\": [\"https://example.com/customers\"], \"actions\": [\"read\"], \"datatypes\": [\"contacts\"], \"maxRecords\": 10}");
        broadening.forEach((what, returned) -> {
            Decision decision = policy().evaluate(withDetails(targets, TWO_LOCATIONS), new ProfilePdp(
                    "{\"evaluations\": [" + permitAll + "{\"decision\": true, \"context\": {\"issuance\": "
                            + "{\"authorization_details\": [" + returned + "]}}}]}"));
            assertThat(decision.allowed()).as(what).isFalse();
            assertThat(decision.reason()).as(what).isEqualTo("policy_error");
        });

        // a returned entry within what was asked but naming a cell the PDP denied is refused too, never trimmed
        Decision deniedCell = policy().evaluate(withDetails(targets, TWO_LOCATIONS), new ProfilePdp("""
                {"evaluations": [{"decision": true}, {"decision": true}, {"decision": true}, {"decision": true},
                  {"decision": true, "context": {"issuance": {"authorization_details": [
                    {"type": "customer_information", "locations": ["https://eu.example.com/customers"],
                     "actions": ["read"], "datatypes": ["contacts", "photos"]}]}}},
                  {"decision": false}]}"""));
        assertThat(deniedCell.reason()).isEqualTo("policy_error");
    }

    @Test
    void theClientCredentialsExampleIsFormedAsSection9_1ShowsAndItsLifetimeCeilingApplies() throws Exception {
        ProfilePdp pdp = new ProfilePdp("""
                {"evaluations": [{"decision": true, "context": {"issuance": {"token_lifetime": 900}}},
                                 {"decision": true}]}""");
        Decision decision = policy().evaluate(clientCredentials(), pdp);

        assertThat(pdp.body()).isEqualTo(JSON.readTree("""
                {"subject":  {"type": "client", "id": "svc-reporting"},
                 "resource": {"type": "audience", "id": "https://telemetry.example"},
                 "context": {"client_id": "svc-reporting"},
                 "evaluations": [{"action": {"name": "issue:access_token:client_credentials"}},
                                 {"action": {"name": "telemetry.write"}}],
                 "options": {"evaluations_semantic": "execute_all"}}"""));
        assertThat(pdp.queries.get(0).evaluations()).isEqualTo(2);
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.obligations().maxAccessTokenLifetime()).isEqualTo(Duration.ofSeconds(900));
        assertThat(decision.obligations().keepScopes()).isNull();
        assertThat(decision.obligations().keepAudiences()).isNull();
    }

    @Test
    void theDownscopingExampleKeepsThePermittedScopesAndTheGroupsClaimOfSection9_2() throws Exception {
        ProfilePdp pdp = new ProfilePdp("""
                {"evaluations": [
                  {"decision": true},
                  {"decision": true, "context": {"issuance": {"claims": {"groups": ["engineering"]}}}},
                  {"decision": true},
                  {"decision": false, "context": {"reason_admin": {"403": "policy P-118"}}}]}""");
        Decision decision = policy().evaluate(downscoping(), pdp);

        JsonNode body = pdp.body();
        assertThat(body.get("subject")).isEqualTo(JSON.readTree("{\"type\": \"user\", \"id\": \"U0405936\"}"));
        assertThat(body.get("resource")).isEqualTo(JSON.readTree("{\"type\": \"audience\", \"id\": \"https://api.example/files\"}"));
        assertThat(body.get("evaluations")).isEqualTo(JSON.readTree("""
                [{"action": {"name": "issue:access_token:authorization_code"}},
                 {"action": {"name": "files.read"}}, {"action": {"name": "files.write"}},
                 {"action": {"name": "files.delete"}}]"""));
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.obligations().keepScopes()).containsExactly("files.read", "files.write");
        assertThat(decision.obligations().claims()).isEqualTo(Map.of("groups", List.of("engineering")));
    }

    @Test
    void aRefreshAsksTheRefreshGateAndItsDenialRefusesTheSingleTarget() throws Exception {
        IssuanceRequest refresh = request("refresh_token", "U0405936", false, "chatterbox",
                List.of("https://api.example/files"), List.of("files.read"), null);
        ProfilePdp pdp = new ProfilePdp("{\"evaluations\": [{\"decision\": false}, {\"decision\": true}]}");
        Decision decision = policy().evaluate(refresh, pdp);

        assertThat(pdp.body().at("/evaluations/0/action/name").asText()).isEqualTo("issue:access_token:refresh_token");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo("pdp_denied");
        assertThat(decision.message()).isEqualTo("The PDP said no.");
        assertThat(decision.error()).as("Section 8: a denied gate fails the request; no error is named").isNull();
    }

    @Test
    void aRequestNamingNoScopeIsOneBareEvaluationForTheAccessEvaluationApiAsInSection9_3() throws Exception {
        IssuanceRequest noScopes = request("client_credentials", "svc-reporting", true, "svc-reporting",
                List.of("https://telemetry.example"), List.of(), null);
        ProfilePdp pdp = new ProfilePdp("{\"decision\": true, \"context\": {\"issuance\": {\"token_lifetime\": 900}}}");
        Decision decision = policy().evaluate(noScopes, pdp);

        assertThat(pdp.queries.get(0).batch()).isFalse();
        assertThat(pdp.body()).isEqualTo(JSON.readTree("""
                {"subject":  {"type": "client", "id": "svc-reporting"},
                 "action":   {"name": "issue:access_token:client_credentials"},
                 "resource": {"type": "audience", "id": "https://telemetry.example"},
                 "context": {"client_id": "svc-reporting"}}"""));
        assertThat(decision.obligations().maxAccessTokenLifetime()).isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void grantedScopeBeyondWhatKeycloakWouldGrantIsABroadeningAndFailsClosed() {
        // Section 9.3's answer names telemetry.write; the token Keycloak built has no scope, so its default set is
        // empty and the granted scope would broaden it (Section 6.4.1).
        IssuanceRequest noScopes = request("client_credentials", "svc-reporting", true, "svc-reporting",
                List.of("https://telemetry.example"), List.of(), null);
        ProfilePdp pdp = new ProfilePdp("""
                {"decision": true, "context": {"issuance": {"granted_scope": "telemetry.write", "token_lifetime": 900}}}""");
        Decision decision = policy().evaluate(noScopes, pdp);

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo("policy_error");
        assertThat(decision.findings()).singleElement().satisfies(f -> assertThat(f.detail()).contains("Section 6.4.1"));
    }

    @Test
    void grantedScopeNarrowsTheScopesThatThePerScopeDecisionsKept() {
        ProfilePdp pdp = new ProfilePdp("""
                {"evaluations": [{"decision": true, "context": {"issuance": {"granted_scope": "files.read"}}},
                                 {"decision": true}, {"decision": true}, {"decision": true}]}""");
        Decision decision = policy().evaluate(downscoping(), pdp);

        assertThat(decision.obligations().keepScopes()).containsExactly("files.read");
    }

    @Test
    void theTokenExchangeExampleAsksTheSubjectGateTheRequestingPartyGateAndScopesAtTheProtectedResource() throws Exception {
        IssuanceRequest exchange = request("urn:ietf:params:oauth:grant-type:token-exchange", "alice@example.com",
                false, "gateway-client", List.of("https://api.partner.example"), List.of("read:docs"),
                "urn:ietf:params:oauth:token-type:access_token");
        ProfilePdp pdp = new ProfilePdp("""
                {"evaluations": [{"decision": true}, {"decision": true},
                  {"decision": true, "context": {"issuance": {"token_lifetime": 300, "claims": {"groups": ["eng", "sre"]}}}}]}""");
        Decision decision = policy().evaluate(exchange, pdp);

        JsonNode body = pdp.body();
        assertThat(body.has("subject")).as("every item names its own subject").isFalse();
        assertThat(body.get("resource")).isEqualTo(JSON.readTree("{\"type\": \"audience\", \"id\": \"https://api.partner.example\"}"));
        assertThat(body.get("evaluations")).isEqualTo(JSON.readTree("""
                [{"subject": {"type": "user", "id": "alice@example.com"},
                  "action": {"name": "issue:access_token:token_exchange"}},
                 {"subject": {"type": "client", "id": "gateway-client"},
                  "action": {"name": "issue:access_token:token_exchange"}},
                 {"subject": {"type": "user", "id": "alice@example.com"}, "action": {"name": "read:docs"},
                  "resource": {"type": "protected_resource", "id": "https://api.partner.example"}}]"""));
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.obligations().maxAccessTokenLifetime()).isEqualTo(Duration.ofSeconds(300));
        assertThat(decision.obligations().claims()).isEqualTo(Map.of("groups", List.of("eng", "sre")));
    }

    @Test
    void aTokenExchangeConveysMayActAndTheTokenTypesAsAdvisoryContextAndMayActDecidesNothing() throws Exception {
        IssuanceRequest exchange = request("urn:ietf:params:oauth:grant-type:token-exchange", "alice", false,
                "gateway-client", List.of("https://api.partner.example"), List.of(), null);
        ProfilePdp pdp = new ProfilePdp("{\"evaluations\": [{\"decision\": true}, {\"decision\": false}]}");
        pdp.exchangeContext = Map.of("subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "may_act", Map.of("sub", "gateway-client"));
        Decision decision = policy().evaluate(exchange, pdp);

        assertThat(pdp.body().get("context")).isEqualTo(JSON.readTree("""
                {"client_id": "gateway-client", "subject_token_type": "urn:ietf:params:oauth:token-type:access_token",
                 "may_act": {"sub": "gateway-client"}}"""));
        // Binding Section 4.3.3: may_act naming the requesting party does not stand in for its denied gate.
        assertThat(decision.allowed()).isFalse();

        ProfilePdp direct = new ProfilePdp("{\"evaluations\": [{\"decision\": true}, {\"decision\": true}]}");
        direct.exchangeContext = pdp.exchangeContext;
        policy().evaluate(clientCredentials(), direct);
        assertThat(direct.body().get("context").has("may_act")).as("only a token exchange conveys it").isFalse();
    }

    @Test
    void aRequestingPartyThatProvedAWorkloadIdentityIsAWorkloadNamedByThatIdentity() throws Exception {
        IssuanceRequest exchange = Requests.with(request("urn:ietf:params:oauth:grant-type:token-exchange",
                        "alice@example.com", false, "gateway-client", List.of("https://api.partner.example"), List.of(), null),
                new WorkloadInfo("https://spiffe.example", "spiffe://cluster/ns/prod/sa/gateway", Map.of()));
        ProfilePdp pdp = new ProfilePdp("{\"evaluations\": [{\"decision\": true}, {\"decision\": true}]}");
        policy().evaluate(exchange, pdp);

        // As in the binding's Section 9.1 example.
        assertThat(pdp.body().at("/evaluations/1/subject")).isEqualTo(JSON.readTree(
                "{\"type\": \"workload\", \"id\": \"spiffe://cluster/ns/prod/sa/gateway\"}"));
    }

    @Test
    void anExchangedServiceAccountTokensSubjectIsAWorkloadNeverAClient() {
        IssuanceRequest exchange = request("urn:ietf:params:oauth:grant-type:token-exchange", "sa-7", true,
                "gateway-client", List.of("https://api.partner.example"), List.of(), null);
        ProfilePdp pdp = new ProfilePdp("{\"evaluations\": [{\"decision\": true}, {\"decision\": true}]}");
        policy().evaluate(exchange, pdp);

        assertThat(pdp.queries.get(0).body()).contains("{\"subject\":{\"type\":\"workload\",\"id\":\"sa-7\"}");
    }

    @Test
    void aDeniedRequestingPartyGateRefusesTheExchangeLikeADeniedSubjectGate() {
        IssuanceRequest exchange = request("urn:ietf:params:oauth:grant-type:token-exchange", "alice", false,
                "gateway-client", List.of("https://api.partner.example"), List.of(), null);
        Decision subjectDenied = policy().evaluate(exchange,
                new ProfilePdp("{\"evaluations\": [{\"decision\": false}, {\"decision\": true}]}"));
        Decision partyDenied = policy().evaluate(exchange,
                new ProfilePdp("{\"evaluations\": [{\"decision\": true}, {\"decision\": false}]}"));

        // Binding Section 7: the client cannot tell which of the two gates refused.
        assertThat(subjectDenied.reason()).isEqualTo("pdp_denied").isEqualTo(partyDenied.reason());
        assertThat(subjectDenied.message()).isEqualTo(partyDenied.message());
        assertThat(subjectDenied.error()).as("binding Section 7").isEqualTo("invalid_request").isEqualTo(partyDenied.error());
    }

    @Test
    void twoTargetsAreTwoGatesLeadingTheBatchAndADeniedGateRemovesItsTargetAndItsScopeTuples() throws Exception {
        IssuanceRequest twoTargets = request("client_credentials", "sa-1", true, "agent", List.of("api-a", "api-b"),
                List.of("read", "write"), null);
        // Gates a, b; then read@a, write@a, read@b, write@b. Gate b denied: write@b's denial is disregarded.
        ProfilePdp pdp = new ProfilePdp("""
                {"evaluations": [{"decision": true}, {"decision": false},
                                 {"decision": true}, {"decision": true}, {"decision": true}, {"decision": false}]}""");
        Decision decision = policy().evaluate(twoTargets, pdp);

        JsonNode items = pdp.body().get("evaluations");
        assertThat(pdp.body().has("resource")).as("no shared resource at the top").isFalse();
        assertThat(items.get(0).at("/resource/id").asText()).isEqualTo("api-a");
        assertThat(items.get(1).at("/resource/id").asText()).isEqualTo("api-b");
        assertThat(items.get(1).at("/action/name").asText()).isEqualTo("issue:access_token:client_credentials");
        assertThat(items.get(5).at("/action/name").asText()).isEqualTo("write");
        assertThat(items.get(5).at("/resource/type").asText()).isEqualTo("audience");
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.obligations().keepAudiences()).containsExactly("api-a");
        assertThat(decision.obligations().keepScopes()).isNull();
    }

    @Test
    void aScopeDeniedAtOneSurvivingTargetIsRemovedFromTheToken() {
        IssuanceRequest twoTargets = request("client_credentials", "sa-1", true, "agent", List.of("api-a", "api-b"),
                List.of("read", "write"), null);
        Decision decision = policy().evaluate(twoTargets, new ProfilePdp("""
                {"evaluations": [{"decision": true}, {"decision": true},
                                 {"decision": true}, {"decision": true}, {"decision": true}, {"decision": false}]}"""));

        assertThat(decision.obligations().keepScopes()).containsExactly("read");
        assertThat(decision.obligations().keepAudiences()).isNull();
    }

    @Test
    void everyScopeDeniedRefusesTheTokenThoughTheGatePermitted() {
        Decision decision = policy().evaluate(clientCredentials(),
                new ProfilePdp("{\"evaluations\": [{\"decision\": true}, {\"decision\": false}]}"));

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo("pdp_denied");
        assertThat(decision.error()).as("Section 8").isEqualTo("invalid_scope");
    }

    @Test
    void aLifetimeOfZeroIsADenialAndTheMinimumOfSeveralCeilingsApplies() {
        Decision zero = policy().evaluate(clientCredentials(), new ProfilePdp("""
                {"evaluations": [{"decision": true, "context": {"issuance": {"token_lifetime": 0}}}, {"decision": true}]}"""));
        Decision two = policy().evaluate(clientCredentials(), new ProfilePdp("""
                {"evaluations": [{"decision": true, "context": {"issuance": {"token_lifetime": 600}}},
                                 {"decision": true, "context": {"issuance": {"token_lifetime": 120}}}]}"""));

        assertThat(zero.allowed()).isFalse();
        assertThat(zero.reason()).isEqualTo("pdp_denied");
        assertThat(zero.error()).as("a denial, no error named").isNull();
        assertThat(two.obligations().maxAccessTokenLifetime()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void shapingOnADeniedItemIsIgnored() {
        Decision decision = policy().evaluate(downscoping(), new ProfilePdp("""
                {"evaluations": [{"decision": true}, {"decision": true}, {"decision": true},
                  {"decision": false, "context": {"issuance": {"token_lifetime": 0, "claims": {"sub": "x"}, "nonsense": 1}}}]}"""));

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.obligations().maxAccessTokenLifetime()).isNull();
        assertThat(decision.obligations().claims()).isEmpty();
    }

    @Test
    void anAnswerThatBreaksTheProfileFailsClosedWithAFindingThatSaysWhy() {
        Map<String, String> answers = Map.of(
                "reserved claim", "{\"claims\": {\"sub\": \"someone-else\"}}",
                "unknown critical member", "{\"claims\": {\"tier\": \"gold\"}, \"crit\": [\"max_transfer_eur\"]}",
                "unknown issuance member", "{\"max_amount\": 500}",
                "another target", "{\"audience\": [\"https://evil.example\"]}",
                "authorization details", "{\"authorization_details\": [{\"type\": \"x\"}]}",
                "malformed lifetime", "{\"token_lifetime\": \"300\"}");
        answers.forEach((what, issuance) -> {
            Decision decision = policy().evaluate(clientCredentials(), new ProfilePdp(
                    "{\"evaluations\": [{\"decision\": true, \"context\": {\"issuance\": " + issuance + "}}, {\"decision\": true}]}"));
            assertThat(decision.allowed()).as(what).isFalse();
            assertThat(decision.reason()).as(what).isEqualTo("policy_error");
            assertThat(decision.findings()).as(what).singleElement()
                    .satisfies(f -> assertThat(f.detail()).startsWith("authzen pdp 'issuance': "));
        });
    }

    @Test
    void twoItemsGivingOneClaimDifferentValuesFailClosedAndEqualValuesDoNot() {
        Decision conflict = policy().evaluate(downscoping(), new ProfilePdp("""
                {"evaluations": [{"decision": true, "context": {"issuance": {"claims": {"tier": "gold"}}}},
                                 {"decision": true, "context": {"issuance": {"claims": {"tier": "silver"}}}},
                                 {"decision": true}, {"decision": true}]}"""));
        Decision same = policy().evaluate(downscoping(), new ProfilePdp("""
                {"evaluations": [{"decision": true, "context": {"issuance": {"claims": {"tier": "gold"}}}},
                                 {"decision": true, "context": {"issuance": {"claims": {"tier": "gold"}}}},
                                 {"decision": true}, {"decision": true}]}"""));

        assertThat(conflict.reason()).isEqualTo("policy_error");
        assertThat(same.obligations().claims()).isEqualTo(Map.of("tier", "gold"));
    }

    @Test
    void aCriticalClaimMintgateAppliesIsHonouredAndAnAsOwnedClaimIsDroppedUnlessCritical() {
        Decision critical = policy().evaluate(clientCredentials(), new ProfilePdp("""
                {"evaluations": [{"decision": true, "context": {"issuance":
                   {"claims": {"max_transfer_eur": 500, "azp": "other"}, "crit": ["max_transfer_eur"]}}},
                 {"decision": true}]}"""));
        Decision owned = policy().evaluate(clientCredentials(), new ProfilePdp("""
                {"evaluations": [{"decision": true, "context": {"issuance": {"claims": {"azp": "other"}, "crit": ["azp"]}}},
                 {"decision": true}]}"""));

        assertThat(critical.obligations().claims()).isEqualTo(Map.of("max_transfer_eur", 500L));
        assertThat(owned.reason()).isEqualTo("policy_error");
    }

    @Test
    void anEmptyAudienceWithdrawsTheItemsTarget() {
        Decision decision = policy().evaluate(clientCredentials(), new ProfilePdp("""
                {"evaluations": [{"decision": true, "context": {"issuance": {"audience": []}}}, {"decision": true}]}"""));

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo("pdp_denied");
        assertThat(decision.error()).as("Section 8: an emptied audience set").isEqualTo("invalid_target");
    }

    @Test
    void aBatchThatAuthorizationDetailsOverranIsInvalidAuthorizationDetails() {
        String nine = "[" + String.join(",", java.util.Collections.nCopies(8,
                "{\"type\": \"t\", \"actions\": [\"a\"]}")) + "]";
        ProfilePdp pdp = new ProfilePdp("{}");
        Decision decision = policy().evaluate(withDetails(List.of("api"), nine), pdp); // 1 gate + 8 cells > 8

        assertThat(decision.reason()).isEqualTo("pdp_batch_too_large");
        assertThat(decision.error()).isEqualTo("invalid_authorization_details");
        assertThat(pdp.queries).isEmpty();
    }

    @Test
    void aRequestBeyondTheBoundIsRefusedWithoutCallingThePdp() {
        IssuanceRequest large = request("client_credentials", "sa-1", true, "agent", List.of("a", "b", "c"),
                List.of("s1", "s2"), null); // 3 * (1 + 2) = 9 > 8
        ProfilePdp pdp = new ProfilePdp("{}");
        Decision decision = policy().evaluate(large, pdp);

        assertThat(decision.reason()).isEqualTo("pdp_batch_too_large");
        assertThat(decision.error()).as("Section 5.5.3: the error of the parameter that overran the bound")
                .isEqualTo("invalid_scope");
        assertThat(pdp.queries).isEmpty();
    }

    @Test
    void aGrantWithoutARegisteredShortNameIsNotAskedAndFailsClosed() {
        IssuanceRequest password = request("password", "u-1", false, "app", List.of("api"), List.of("read"), null);
        ProfilePdp pdp = new ProfilePdp("{}");
        Decision decision = policy().evaluate(password, pdp);

        assertThat(decision.reason()).isEqualTo("policy_error");
        assertThat(decision.findings().get(0).detail()).contains("'password'").contains("Section 13.3");
        assertThat(pdp.queries).isEmpty();
    }

    @Test
    void aServiceAccountThatProvedAWorkloadIdentityIsAWorkloadSubjectAndScopesStartingWithIssueAreNeverAsked() throws Exception {
        IssuanceRequest workload = Requests.with(request("client_credentials", "sa-1", true, "ci", List.of("api"),
                        List.of("issue:access_token:client_credentials", "deploy"), null),
                new WorkloadInfo("https://issuer.example", "repo:acme/app", Map.of()));
        ProfilePdp pdp = new ProfilePdp("{\"evaluations\": [{\"decision\": true}, {\"decision\": true}]}");
        policy().evaluate(workload, pdp);

        assertThat(pdp.body().get("subject")).isEqualTo(JSON.readTree("{\"type\": \"workload\", \"id\": \"sa-1\"}"));
        assertThat(pdp.body().get("evaluations")).hasSize(2);
        assertThat(pdp.body().at("/evaluations/1/action/name").asText()).isEqualTo("deploy");
    }

    @Test
    void savingRefusesMappingsOnAProfilePdpAnOnErrorAllowAndAnUnknownProfile() {
        PolicyValidationException e = catchThrowableOfType(PolicyValidationException.class, () -> PolicyCompiler.compile("""
                {"pdps": {"issuance": {"url": "https://pdp.example.com", "profile": "token-issuance"},
                          "plain": {"url": "https://pdp.example.com", "profile": "issuance", "maxEvaluations": 5}},
                 "rules": [{"name": "a", "reason": "pdp_denied", "onError": "allow",
                            "authzen": {"pdp": "issuance", "subject": {"type": "'client'", "id": "client.clientId"}}},
                           {"name": "b", "reason": "pdp_denied", "authzen": {"pdp": "plain",
                            "subject": {"type": "'client'", "id": "client.clientId"}, "action": {"name": "'mint'"},
                            "resource": {"type": "'api'", "id": "'x'"}}}]}"""));

        List<String> problems = e.problems().stream().map(p -> p.field() + ": " + p.message()).toList();
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("rules[0].authzen.subject: is not allowed"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("rules[0].authzen: ").contains("onError must be deny"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("rules[1].authzen.pdp")
                .contains("pdps.plain.profile: must be one of plain | token-issuance but was 'issuance'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("pdps.plain.maxEvaluations: applies only to"));
    }
}
