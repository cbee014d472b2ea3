package io.mintgate.it.authzenprofile;

import static io.mintgate.it.authzenprofile.TokenIssuancePdp.permitWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The test PDP against the profile's own examples as vectors: each request of the token issuance profile's
 * Section 9 and of the token exchange binding's Section 9, with the PDP configured to the policy the example
 * describes, must get exactly the response the example shows; requests of another shape are refused.
 */
class TokenIssuancePdpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TokenIssuancePdp pdp = TokenIssuancePdp.start();

    @AfterEach
    void stop() {
        pdp.close();
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void section9_1ClientCredentialsOneScope() throws Exception {
        pdp.policy(permitWith("issue:*", "https://telemetry.example", Map.of("token_lifetime", 900)));
        JsonNode answer = pdp.decideBatch(json("""
                {"subject": {"type": "client", "id": "svc-reporting"},
                 "resource": {"type": "audience", "id": "https://telemetry.example"},
                 "context": {"client_id": "svc-reporting"},
                 "evaluations": [{"action": {"name": "issue:access_token:client_credentials"}},
                                 {"action": {"name": "telemetry.write"}}],
                 "options": {"evaluations_semantic": "execute_all"}}"""));
        assertThat(answer).isEqualTo(json("""
                {"evaluations": [{"decision": true, "context": {"issuance": {"token_lifetime": 900}}},
                                 {"decision": true}]}"""));
    }

    @Test
    void section9_2AuthorizationCodeDownscoping() throws Exception {
        pdp.policy(permitWith("files.read", null, Map.of("claims", Map.of("groups", List.of("engineering")))),
                new TokenIssuancePdp.Rule("files.delete", null, null, false, Map.of("reason_admin", Map.of("403", "policy P-118"))));
        JsonNode answer = pdp.decideBatch(json("""
                {"subject": {"type": "user", "id": "U0405936"},
                 "resource": {"type": "audience", "id": "https://api.example/files"},
                 "context": {"client_id": "chatterbox", "acr": "urn:example:loa:2"},
                 "evaluations": [{"action": {"name": "issue:access_token:authorization_code"}},
                                 {"action": {"name": "files.read"}}, {"action": {"name": "files.write"}},
                                 {"action": {"name": "files.delete"}}],
                 "options": {"evaluations_semantic": "execute_all"}}"""));
        assertThat(answer).isEqualTo(json("""
                {"evaluations": [{"decision": true},
                  {"decision": true, "context": {"issuance": {"claims": {"groups": ["engineering"]}}}},
                  {"decision": true},
                  {"decision": false, "context": {"reason_admin": {"403": "policy P-118"}}}]}"""));
    }

    @Test
    void section9_3NoScopesRequested() throws Exception {
        pdp.policy(permitWith("issue:*", null, Map.of("granted_scope", "telemetry.write", "token_lifetime", 900)));
        JsonNode request = json("""
                {"subject": {"type": "client", "id": "svc-reporting"},
                 "action": {"name": "issue:access_token:client_credentials"},
                 "resource": {"type": "audience", "id": "https://telemetry.example"},
                 "context": {"client_id": "svc-reporting"}}""");
        assertThat(pdp.decide(request, JSON.createObjectNode())).isEqualTo(json("""
                {"decision": true, "context": {"issuance": {"granted_scope": "telemetry.write", "token_lifetime": 900}}}"""));
    }

    @Test
    void section9_4AuthorizationDetailsOneEntry() throws Exception {
        JsonNode answer = pdp.decideBatch(json("""
                {"subject": {"type": "user", "id": "U0405936"}, "context": {"client_id": "chatterbox"},
                 "evaluations": [
                   {"action": {"name": "issue:access_token:authorization_code"},
                    "resource": {"type": "audience", "id": "https://example.com/customers"}},
                   {"action": {"name": "read:contacts"},
                    "resource": {"type": "customer_information", "id": "https://example.com/customers"}}],
                 "options": {"evaluations_semantic": "execute_all"}}"""));
        assertThat(answer).isEqualTo(json("{\"evaluations\": [{\"decision\": true}, {\"decision\": true}]}"));
    }

    @Test
    void section9_5AuthorizationDetailsAcrossTwoTargets() throws Exception {
        pdp.policy(new TokenIssuancePdp.Rule("read:photos", "https://eu.example.com/customers", null, false,
                Map.of("reason_admin", Map.of("403", "residency R-4"))));
        StringBuilder items = new StringBuilder();
        for (String gate : List.of("https://example.com/customers", "https://eu.example.com/customers")) {
            items.append("{\"action\": {\"name\": \"issue:access_token:authorization_code\"}, \"resource\": {\"type\": \"audience\", \"id\": \"")
                    .append(gate).append("\"}},");
        }
        for (String location : List.of("https://example.com/customers", "https://eu.example.com/customers")) {
            for (String cell : List.of("read:contacts", "read:photos")) {
                items.append("{\"action\": {\"name\": \"").append(cell)
                        .append("\"}, \"resource\": {\"type\": \"customer_information\", \"id\": \"").append(location).append("\"}},");
            }
        }
        JsonNode answer = pdp.decideBatch(json("{\"subject\": {\"type\": \"user\", \"id\": \"U0405936\"},"
                + " \"context\": {\"client_id\": \"chatterbox\"}, \"evaluations\": [" + items.substring(0, items.length() - 1)
                + "], \"options\": {\"evaluations_semantic\": \"execute_all\"}}"));
        assertThat(answer).isEqualTo(json("""
                {"evaluations": [{"decision": true}, {"decision": true}, {"decision": true}, {"decision": true},
                  {"decision": true}, {"decision": false, "context": {"reason_admin": {"403": "residency R-4"}}}]}"""));
    }

    @Test
    void exchangeBindingSection9_1DelegationWithAnActorToken() throws Exception {
        pdp.policy(permitWith("read:docs", null, Map.of("token_lifetime", 300, "claims", Map.of("groups", List.of("eng", "sre")))));
        JsonNode answer = pdp.decideBatch(json("""
                {"resource": {"type": "audience", "id": "https://api.partner.example"},
                 "context": {"client_id": "gateway-client", "may_act": {"sub": "spiffe://cluster/ns/prod/sa/gateway"}},
                 "evaluations": [
                   {"subject": {"type": "user", "id": "alice@example.com"}, "action": {"name": "issue:access_token:token_exchange"}},
                   {"subject": {"type": "workload", "id": "spiffe://cluster/ns/prod/sa/gateway"},
                    "action": {"name": "issue:access_token:token_exchange"}},
                   {"subject": {"type": "user", "id": "alice@example.com"}, "action": {"name": "read:docs"},
                    "resource": {"type": "protected_resource", "id": "https://api.partner.example"}}],
                 "options": {"evaluations_semantic": "execute_all"}}"""));
        assertThat(answer).isEqualTo(json("""
                {"evaluations": [{"decision": true}, {"decision": true},
                  {"decision": true, "context": {"issuance": {"token_lifetime": 300, "claims": {"groups": ["eng", "sre"]}}}}]}"""));
    }

    @Test
    void exchangeBindingSection9_2ScopelessIdJagTwoLevels() throws Exception {
        pdp.policy(new TokenIssuancePdp.Rule("issue:id_jag:token_exchange", null, "U0405936", true,
                Map.of("issuance", Map.of("granted_scope", "files.read", "token_lifetime", 300))));
        JsonNode answer = pdp.decideBatch(json("""
                {"context": {"client_id": "chatterbox-idp-7f3a"},
                 "evaluations": [
                   {"subject": {"type": "user", "id": "U0405936"}, "action": {"name": "issue:id_jag:token_exchange"},
                    "resource": {"type": "audience", "id": "https://as.app.example"}},
                   {"subject": {"type": "client", "id": "chatterbox-idp-7f3a"}, "action": {"name": "issue:id_jag:token_exchange"},
                    "resource": {"type": "audience", "id": "https://as.app.example"}}],
                 "options": {"evaluations_semantic": "execute_all"}}"""));
        assertThat(answer).isEqualTo(json("""
                {"evaluations": [
                  {"decision": true, "context": {"issuance": {"granted_scope": "files.read", "token_lifetime": 300}}},
                  {"decision": true}]}"""));
    }

    @Test
    void requestsOfAnotherShapeAreRefused() {
        String gateAfterScope = """
                {"subject": {"type": "client", "id": "c"}, "resource": {"type": "audience", "id": "a"},
                 "evaluations": [{"action": {"name": "read"}}, {"action": {"name": "issue:access_token:client_credentials"}}],
                 "options": {"evaluations_semantic": "execute_all"}}""";
        String noExecuteAll = """
                {"subject": {"type": "client", "id": "c"}, "resource": {"type": "audience", "id": "a"},
                 "evaluations": [{"action": {"name": "issue:access_token:client_credentials"}}, {"action": {"name": "read"}}]}""";
        String gateAtAnotherType = """
                {"subject": {"type": "client", "id": "c"}, "resource": {"type": "api", "id": "a"},
                 "action": {"name": "issue:access_token:client_credentials"}}""";
        String unregisteredSubject = """
                {"subject": {"type": "service", "id": "c"}, "resource": {"type": "audience", "id": "a"},
                 "action": {"name": "issue:access_token:client_credentials"}}""";
        assertThatThrownBy(() -> pdp.decideBatch(json(gateAfterScope))).hasMessageContaining("Section 5.5.1");
        assertThatThrownBy(() -> pdp.decideBatch(json(noExecuteAll))).hasMessageContaining("execute_all");
        assertThatThrownBy(() -> pdp.decide(json(gateAtAnotherType), JSON.createObjectNode())).hasMessageContaining("Section 5.2");
        assertThatThrownBy(() -> pdp.decide(json(unregisteredSubject), JSON.createObjectNode())).hasMessageContaining("Section 5.1");
    }

    @Test
    void overHttpItPublishesTheCapabilityCountsBatchCallsAndAnswers400ToAMalformedBatch() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI base = pdp.baseUri();
        JsonNode metadata = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/.well-known/authzen-configuration")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(metadata.get("policy_decision_point").asText()).isEqualTo(base.toString());
        assertThat(metadata.get("capabilities")).containsExactly(JSON.getNodeFactory().textNode(TokenIssuancePdp.CAPABILITY));

        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(base.resolve("/access/v1/evaluations"))
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"subject": {"type": "client", "id": "c"}, "resource": {"type": "audience", "id": "a"},
                         "evaluations": [{"action": {"name": "issue:access_token:client_credentials"}}, {"action": {"name": "read"}}],
                         "options": {"evaluations_semantic": "execute_all"}}""")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> malformed = http.send(HttpRequest.newBuilder(base.resolve("/access/v1/evaluations"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"evaluations\": []}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body())).isEqualTo(json("{\"evaluations\": [{\"decision\": true}, {\"decision\": true}]}"));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(pdp.batchCalls()).isEqualTo(2);
        assertThat(pdp.singleCalls()).isZero();
    }
}
