package io.mintgate.authorizer.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestCaptureTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static IssuanceRequest aliceAtApp(Map<String, String> clientAttributes, List<String> clientRoles,
                                              Map<String, Object> workloadClaims) {
        return new IssuanceRequest("acme", Instant.parse("2026-03-01T12:00:00Z"), "TOKEN_EXCHANGE",
                new Grant("urn:ietf:params:oauth:grant-type:token-exchange", List.of("read"), List.of("api"), List.of(),
                        "urn:ietf:params:oauth:token-type:access_token"),
                new ClientInfo("c-1", "app", "client-secret", false,
                        DeferredMap.ofKeyed(clientAttributes::get, () -> clientAttributes),
                        DeferredList.of(() -> clientRoles), List.of("profile")),
                new SubjectInfo("u-1", "alice", true, false, Map.of("department", List.of("ops")), List.of("user"),
                        Map.of("app", List.of("reader")), List.of("staff")),
                new ActorInfo("gateway", ""), new NetworkInfo("192.0.2.7", "", "dpop-jkt"),
                new WorkloadInfo("https://issuer", "repo:acme/app", workloadClaims),
                new OrganizationInfo("o-1", "acme-org"),
                new NhiInfo("owner-1", "bob", true, false, Instant.parse("2027-01-01T00:00:00Z"), "billing"));
    }

    @Test
    void aCapturedRequestReadsBackAsTheSameRequest() throws Exception {
        IssuanceRequest live = aliceAtApp(Map.of("env", "prod"), List.of("deployer"), Map.of("repository", "acme/app"));
        live.client().roles().size(); // read by a rule: fetched, so captured whole
        live.client().attributes().get("env");

        String json = RequestCapture.encode(live);
        CapturedRequest back = RequestCapture.decode(JSON.readTree(json));

        IssuanceRequest r = back.request();
        assertThat(r.time()).isEqualTo(live.time());
        assertThat(r.grant()).isEqualTo(live.grant());
        assertThat(r.subject().clientRoles()).isEqualTo(Map.of("app", List.of("reader")));
        assertThat(r.client().roles()).containsExactly("deployer");
        assertThat(r.client().attributes().get("env")).isEqualTo("prod");
        assertThat(r.nhi()).isEqualTo(live.nhi());
        assertThat(r.network()).isEqualTo(live.network());
        assertThat(r.workload().claims()).isEqualTo(Map.of("repository", "acme/app"));
        assertThat(back.misses()).isEmpty();
    }

    @Test
    void factsNoRuleReadAreNotFetchedAndAReadOfThemIsAMissOnReplay() throws Exception {
        boolean[] fetched = {false};
        Map<String, String> attributes = Map.of("env", "prod", "tier", "gold");
        IssuanceRequest live = new IssuanceRequest("acme", Instant.EPOCH, "CLIENT_LOGIN", null,
                new ClientInfo("c-1", "app", "", false, DeferredMap.ofKeyed(attributes::get, () -> {
                    fetched[0] = true;
                    return attributes;
                }), DeferredList.of(() -> {
                    fetched[0] = true;
                    return List.of("x");
                }), List.of()), null, null, null, null, null, null);
        live.client().attributes().get("env");
        live.client().attributes().get("missing");

        JsonNode json = JSON.readTree(RequestCapture.encode(live));

        assertThat(fetched[0]).as("capture fetched nothing the decision did not read").isFalse();
        assertThat(json.at("/partial/client.roles").isArray()).isTrue();
        assertThat(json.at("/partial/client.attributes").toString()).isEqualTo("[\"env\",\"missing\"]");
        assertThat(json.at("/client/attributes").toString()).isEqualTo("{\"env\":\"prod\"}");

        CapturedRequest back = RequestCapture.decode(json);
        assertThat(back.request().client().attributes().get("env")).isEqualTo("prod");
        assertThat(back.request().client().attributes().get("missing")).isNull();
        assertThat(back.misses()).as("keys the record captured, present or absent, are no miss").isEmpty();
        assertThat(back.request().client().attributes().get("tier")).isNull();
        assertThat(back.request().client().roles()).isEmpty();
        assertThat(back.misses()).containsExactly("client.attributes", "client.roles");
    }

    @Test
    void nothingThatLooksLikeACredentialIsCaptured() {
        Map<String, String> attributes = Map.of("client.secret.rotated", "old-secret-value",
                "saml.signing.private.key", "MIIEv", "env", "prod", "note", "Bearer abc.def");
        IssuanceRequest live = aliceAtApp(attributes, List.of(),
                Map.of("repository", "acme/app", "id_token", "x", "nested", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig"));
        live.client().attributes().size(); // a rule iterated them: fetched whole

        String json = RequestCapture.encode(live);

        assertThat(json).contains("\"env\":\"prod\"", "acme/app")
                .doesNotContain("old-secret-value", "client.secret", "MIIEv", "private", "Bearer", "eyJ", "id_token");
    }

    /** The streaming capture writes exactly what the Jackson configuration it replaced wrote. */
    @Test
    void theCaptureIsByteForByteTheJacksonOne() {
        Map<String, Object> nested = new java.util.LinkedHashMap<>();
        nested.put("list", List.of("a", 1, 2.5, true, Map.of("deep", "x")));
        nested.put("number", 42L);
        nested.put("flag", false);
        nested.put("big", new java.math.BigDecimal("12.50"));
        nested.put("when", Instant.parse("2026-01-02T03:04:05Z"));
        nested.put("empty", "");
        nested.put("none", null);
        nested.put("tokens", List.of("plain", "Bearer x", "eyJhbGciOiJSUzI1NiJ9.e30.sig"));
        nested.put("refresh_token", "x");
        Map<String, Object> claims = new java.util.LinkedHashMap<>();
        claims.put("repository", "acme/app");
        claims.put("nested", nested);
        claims.put("emptyList", List.of());
        claims.put("float", 1.5f);
        claims.put("int", 7);
        Map<String, String> attributes = Map.of("env", "prod", "client.secret", "s", "tier", "gold");

        IssuanceRequest unread = aliceAtApp(attributes, List.of("deployer"), claims);
        unread.client().attributes().get("env");
        unread.client().attributes().get("missing");
        IssuanceRequest read = aliceAtApp(attributes, List.of("deployer"), claims);
        read.client().attributes().size();
        read.client().roles().size();
        IssuanceRequest sparse = new IssuanceRequest("", Instant.EPOCH, "", null, null, null,
                new ActorInfo("agent", "sub", List.of(new ActorInfo.Prior("first", ""), new ActorInfo.Prior("", "u"))),
                null, null, null, new NhiInfo("", "", false, false, null, ""));

        for (IssuanceRequest request : List.of(unread, read, sparse)) {
            assertThat(RequestCapture.encode(request)).isEqualTo(RequestCapture.encodeWithJackson(request));
        }
    }
}
