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

    /**
     * Every component of every record of a request, filled: the hand-written capture must write each one as the
     * Jackson path does, so a component added to a record and not to the capture fails here.
     */
    @Test
    void everyComponentOfEveryRecordIsCaptured() throws Exception {
        IssuanceRequest full = (IssuanceRequest) filled(IssuanceRequest.class);

        String capture = RequestCapture.encode(full);

        assertThat(capture).isEqualTo(RequestCapture.encodeWithJackson(full));
        for (java.lang.reflect.RecordComponent c : IssuanceRequest.class.getRecordComponents()) {
            assertThat(capture).contains("\"" + c.getName() + "\":");
        }
    }

    /** Every list and map component of the request's facts deferred and unread: each is named in partial. */
    @Test
    void everyDeferredComponentIsNamedInPartial() throws Exception {
        IssuanceRequest full = (IssuanceRequest) filled(IssuanceRequest.class);
        Object[] facts = RecordShape.of(IssuanceRequest.class).values(full);
        Map<String, List<String>> expected = new java.util.TreeMap<>();
        for (int i = 0; i < facts.length; i++) {
            if (!(facts[i] instanceof Record fact)) {
                continue;
            }
            RecordShape shape = RecordShape.of(fact.getClass());
            Object[] values = shape.values(fact);
            for (int j = 0; j < values.length; j++) {
                if (values[j] instanceof List<?> || values[j] instanceof Map<?, ?>) {
                    values[j] = values[j] instanceof List<?> list ? DeferredList.of(() -> list)
                            : DeferredMap.ofMultimap(java.util.HashMap::new);
                }
            }
            facts[i] = shape.construct(values);
        }
        IssuanceRequest deferred = (IssuanceRequest) RecordShape.of(IssuanceRequest.class).construct(facts);
        // Expected: every component that is still an unread deferred fact once the records' constructors ran (a
        // constructor that copies its list, as ActorInfo's does, reads it).
        Object[] built = RecordShape.of(IssuanceRequest.class).values(deferred);
        for (int i = 0; i < built.length; i++) {
            if (built[i] instanceof Record fact) {
                RecordShape shape = RecordShape.of(fact.getClass());
                Object[] values = shape.values(fact);
                for (int j = 0; j < values.length; j++) {
                    if (values[j] instanceof DeferredList<?> l && !l.fetched()
                            || values[j] instanceof DeferredMap<?> m && !m.fetched()) {
                        expected.put(RecordShape.of(IssuanceRequest.class).names[i] + "." + shape.names[j], List.of());
                    }
                }
            }
        }
        assertThat(expected).as("the deferred components the test could make").hasSizeGreaterThan(8);

        assertThat(RequestCapture.partial(deferred)).isEqualTo(expected);
        assertThat(RequestCapture.encode(deferred)).isEqualTo(RequestCapture.encodeWithJackson(deferred));
    }

    /** A record with every component set to a non-empty value of its type (nested records filled too). */
    private static Object filled(Class<?> type) throws Exception {
        java.lang.reflect.RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = sample(components[i].getGenericType(), components[i].getName());
        }
        var constructor = type.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return constructor.newInstance(values);
    }

    private static Object sample(java.lang.reflect.Type type, String name) throws Exception {
        Class<?> raw = type instanceof java.lang.reflect.ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        java.lang.reflect.Type[] args = type instanceof java.lang.reflect.ParameterizedType p
                ? p.getActualTypeArguments() : new java.lang.reflect.Type[0];
        if (raw == String.class) {
            return name + "-value";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return true;
        }
        if (raw == Instant.class) {
            return Instant.parse("2026-05-06T07:08:09Z");
        }
        if (raw == Object.class) {
            return name + "-object";
        }
        if (List.class.isAssignableFrom(raw)) {
            return List.of(sample(args[0], name + "-item"));
        }
        if (Map.class.isAssignableFrom(raw)) {
            return Map.of(name + "-key", sample(args[1], name + "-entry"));
        }
        if (raw.isRecord()) {
            return filled(raw);
        }
        throw new IllegalStateException("no sample for " + type + " (component " + name + "): add one here");
    }
}
