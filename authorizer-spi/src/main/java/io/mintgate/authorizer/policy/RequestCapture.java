package io.mintgate.authorizer.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The request a decision saw, written for the audit record (event detail {@code mintgate_request}) so that a later
 * replay can decide it again: {@link IssuanceRequest} serialised component by component, in the shape
 * {@link IssuanceRequestJson} reads (a policy test's {@code request}), empty members left out. Derived from the
 * record itself, so a new context variable is captured without a change here.
 *
 * <p>Capturing costs no lookup the decision did not make: a deferred fact (a client's roles, a user's groups or
 * attributes) that no rule read is not fetched for the record; it is listed under {@code partial} instead, and a
 * map read key by key (a client's attributes) keeps the keys read, listed there too. Nothing that looks like a
 * credential is written: map entries whose key names one (secret, password, private key, token, assertion) or
 * whose value is one (a compact JWS/JWE, an HTTP {@code Bearer}/{@code Basic} value) are left out. The request
 * holds no token, assertion or client secret to begin with (only the verified assertion's claims).
 */
public final class RequestCapture {

    /** The member that lists the facts not captured whole: path to the keys captured (empty for a list). */
    public static final String PARTIAL = "partial";

    /** Parts of a key that name a credential; a key ending in {@code token} (after {@code .}, {@code _}, {@code -}) too. */
    private static final String[] CREDENTIAL_KEY_PARTS = {"secret", "password", "passwd", "private", "credential",
            "assertion", "api_key", "apikey"};
    private static final Pattern CREDENTIAL_VALUE = Pattern.compile("(?i)^\\s*(eyJ[A-Za-z0-9_-]{4,}\\.|(bearer|basic|dpop)\\s)");


    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule()
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addSerializer(DeferredList.class, new DeferredListWriter())
                    .addSerializer(Map.class, new MapWriter()))
            .serializationInclusion(JsonInclude.Include.NON_EMPTY)
            .build();
    private static final ObjectWriter WRITER = MAPPER.writer();
    /** For {@code partial}: fact paths and attribute names read, nothing to filter. */
    private static final ObjectWriter PLAIN = JsonMapper.builder().build().writer();

    private RequestCapture() {
    }

    /** The request as compact JSON; never throws for a request the engine could evaluate. */
    public static String encode(IssuanceRequest request) {
        Map<String, List<String>> partial = partial(request);
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator gen = MAPPER.getFactory().createGenerator(out)) {
            gen.writeStartObject();
            if (partial != null) {
                // First, so that a reader finds it without parsing the request twice (CapturedRequest).
                gen.writeFieldName(PARTIAL);
                gen.writeStartObject();
                for (Map.Entry<String, List<String>> p : partial.entrySet()) {
                    gen.writeArrayFieldStart(p.getKey());
                    for (String key : p.getValue()) {
                        gen.writeString(key);
                    }
                    gen.writeEndArray();
                }
                gen.writeEndObject();
            }
            new RequestJsonWriter(gen, MAPPER).writeMembers(request);
            gen.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("request could not be written: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** The Jackson path {@link #encode} mirrors, kept as the reference its tests compare with. */
    static String encodeWithJackson(IssuanceRequest request) {
        try {
            String json = WRITER.writeValueAsString(request);
            Map<String, List<String>> partial = partial(request);
            if (partial == null) {
                return json;
            }
            return "{\"" + PARTIAL + "\":" + PLAIN.writeValueAsString(partial) + "," + json.substring(1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request could not be written: " + e.getOriginalMessage(), e);
        }
    }

    static boolean looksLikeCredentialKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (String part : CREDENTIAL_KEY_PARTS) {
            if (k.contains(part)) {
                return true;
            }
        }
        if (!k.endsWith("token")) {
            return false;
        }
        int before = k.length() - "token".length() - 1;
        return before < 0 || k.charAt(before) == '.' || k.charAt(before) == '_' || k.charAt(before) == '-';
    }

    /** The regex only for values that can match: after blanks, a first letter of e, b or d (most are ids or names). */
    static boolean looksLikeCredentialValue(Object value) {
        if (!(value instanceof String s)) {
            return false;
        }
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return false;
        }
        char first = Character.toLowerCase(s.charAt(i));
        return (first == 'e' || first == 'b' || first == 'd') && CREDENTIAL_VALUE.matcher(s).find();
    }

    /**
     * The deferred facts (one level down: {@code client.roles}) that were not fetched, each with the keys read one
     * by one, sorted; null when there is none. Every list or map component of the request's facts is looked at
     * (RequestCaptureTest compares this with a walk of all of them, so a new one must be added here).
     */
    static Map<String, List<String>> partial(IssuanceRequest r) {
        Map<String, List<String>> partial = null;
        partial = unread(partial, "grant.scopes", r.grant().scopes());
        partial = unread(partial, "grant.audiences", r.grant().audiences());
        partial = unread(partial, "grant.resources", r.grant().resources());
        partial = unread(partial, "grant.authorizationDetails", r.grant().authorizationDetails());
        partial = unread(partial, "client.attributes", r.client().attributes());
        partial = unread(partial, "client.roles", r.client().roles());
        partial = unread(partial, "client.scopes", r.client().scopes());
        partial = unread(partial, "subject.attributes", r.subject().attributes());
        partial = unread(partial, "subject.realmRoles", r.subject().realmRoles());
        partial = unread(partial, "subject.clientRoles", r.subject().clientRoles());
        partial = unread(partial, "subject.groups", r.subject().groups());
        partial = unread(partial, "actor.prior", r.actor().prior());
        partial = unread(partial, "workload.claims", r.workload().claims());
        return partial;
    }

    /** {@code partial}, with {@code path} added when {@code value} is a deferred fact that was not fetched. */
    private static Map<String, List<String>> unread(Map<String, List<String>> partial, String path, Object value) {
        List<String> keys;
        if (value instanceof DeferredList<?> list && !list.fetched()) {
            keys = List.of();
        } else if (value instanceof DeferredMap<?> map && !map.fetched()) {
            keys = new ArrayList<>(new TreeMap<>(map.keysRead()).keySet());
        } else {
            return partial;
        }
        Map<String, List<String>> out = partial == null ? new TreeMap<>() : partial;
        out.put(path, keys);
        return out;
    }

    @SuppressWarnings("rawtypes")
    private static final class DeferredListWriter extends StdSerializer<DeferredList> {
        DeferredListWriter() {
            super(DeferredList.class);
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, DeferredList value) {
            return value.fetched() && value.isEmpty(); // an unread list is written ([]) and named in partial
        }

        @Override
        public void serialize(DeferredList list, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartArray(); // an unread list is written empty and named in partial
            if (list.fetched()) {
                for (Object item : list) {
                    provider.defaultSerializeValue(item, gen);
                }
            }
            gen.writeEndArray();
        }
    }

    /** Every map of the request: credential-looking entries left out; an unfetched deferred map, its keys read. */
    @SuppressWarnings("rawtypes")
    private static final class MapWriter extends StdSerializer<Map> {
        MapWriter() {
            super(Map.class);
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, Map value) {
            return !(value instanceof DeferredMap<?> deferred && !deferred.fetched()) && value.isEmpty();
        }

        @Override
        public void serialize(Map map, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Map<?, ?> entries = map;
            if (map instanceof DeferredMap<?> deferred && !deferred.fetched()) {
                Map<String, ?> read = deferred.keysRead();
                Map<String, Object> present = new LinkedHashMap<>();
                read.forEach((k, v) -> {
                    if (v != null) {
                        present.put(k, v);
                    }
                });
                entries = present;
            }
            gen.writeStartObject();
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                String key = String.valueOf(e.getKey());
                Object value = e.getValue();
                if (value == null || looksLikeCredentialKey(key) || looksLikeCredentialValue(value)) {
                    continue;
                }
                gen.writeFieldName(key);
                if (value instanceof List<?> list) {
                    gen.writeStartArray();
                    for (Object item : list) {
                        if (!looksLikeCredentialValue(item)) {
                            provider.defaultSerializeValue(item, gen);
                        }
                    }
                    gen.writeEndArray();
                } else {
                    provider.defaultSerializeValue(value, gen);
                }
            }
            gen.writeEndObject();
        }
    }

    /** Reads a capture back: the request, and the facts it did not capture whole. */
    public static CapturedRequest decode(JsonNode json) {
        return CapturedRequest.read(json);
    }

    /**
     * As {@link #decode(JsonNode)}, from the text as the record holds it, in one streaming pass (replay reads many).
     *
     * @throws IllegalArgumentException when the text is not a capture
     */
    public static CapturedRequest decode(String json) {
        return CapturedRequest.read(json);
    }
}
