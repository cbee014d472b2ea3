package io.mintgate.authorizer.policy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes a request straight to a JSON generator, member by member, instead of going through Jackson's bean
 * serializers or a reflective walk of its records: a capture is written on the request thread of every decision,
 * and in a busy server the bean path (property writers, serializer lookups, reflective accessors) and even a walk
 * through one accessor function per component (megamorphic calls, cold caches) cost several times the decision's
 * own evaluation. The output is byte for byte what {@link RequestCapture}'s Jackson configuration writes, which
 * RequestCaptureTest pins for a request with every component of every record filled, so a component added to a
 * record and not here fails that test: components in declaration order, empty ones left out (null, "", empty
 * lists and maps; a deferred list or map that was not fetched counts as not empty), {@link Instant} as its text,
 * every map through {@link RequestCapture#looksLikeCredentialKey} and {@link RequestCapture#looksLikeCredentialValue}.
 * A value of any other type is handed to {@code fallback}, the Jackson mapper of that configuration.
 */
final class RequestJsonWriter {
    private final JsonGenerator gen;
    private final ObjectMapper fallback;

    RequestJsonWriter(JsonGenerator gen, ObjectMapper fallback) {
        this.gen = gen;
        this.fallback = fallback;
    }

    /** The request's members, into the object being written. */
    void writeMembers(IssuanceRequest r) throws IOException {
        text("realm", r.realm());
        instant("time", r.time());
        text("event", r.event());
        gen.writeFieldName("grant");
        grant(r.grant());
        gen.writeFieldName("client");
        client(r.client());
        gen.writeFieldName("subject");
        subject(r.subject());
        gen.writeFieldName("actor");
        actor(r.actor());
        gen.writeFieldName("network");
        network(r.network());
        gen.writeFieldName("workload");
        workload(r.workload());
        gen.writeFieldName("organization");
        organization(r.organization());
        gen.writeFieldName("nhi");
        nhi(r.nhi());
    }

    private void grant(Grant g) throws IOException {
        gen.writeStartObject();
        text("type", g.type());
        member("scopes", g.scopes());
        member("audiences", g.audiences());
        member("resources", g.resources());
        text("requestedTokenType", g.requestedTokenType());
        member("authorizationDetails", g.authorizationDetails());
        gen.writeEndObject();
    }

    private void client(ClientInfo c) throws IOException {
        gen.writeStartObject();
        text("id", c.id());
        text("clientId", c.clientId());
        text("authMethod", c.authMethod());
        gen.writeBooleanField("publicClient", c.publicClient());
        member("attributes", c.attributes());
        member("roles", c.roles());
        member("scopes", c.scopes());
        gen.writeEndObject();
    }

    private void subject(SubjectInfo s) throws IOException {
        gen.writeStartObject();
        text("id", s.id());
        text("username", s.username());
        gen.writeBooleanField("enabled", s.enabled());
        gen.writeBooleanField("serviceAccount", s.serviceAccount());
        member("attributes", s.attributes());
        member("realmRoles", s.realmRoles());
        member("clientRoles", s.clientRoles());
        member("groups", s.groups());
        gen.writeEndObject();
    }

    private void actor(ActorInfo a) throws IOException {
        gen.writeStartObject();
        text("clientId", a.clientId());
        text("subject", a.subject());
        if (!a.prior().isEmpty()) {
            gen.writeArrayFieldStart("prior");
            for (ActorInfo.Prior p : a.prior()) {
                if (p == null) {
                    gen.writeNull();
                    continue;
                }
                gen.writeStartObject();
                text("clientId", p.clientId());
                text("subject", p.subject());
                gen.writeEndObject();
            }
            gen.writeEndArray();
        }
        gen.writeEndObject();
    }

    private void network(NetworkInfo n) throws IOException {
        gen.writeStartObject();
        text("sourceAddress", n.sourceAddress());
        text("tlsClientCertThumbprint", n.tlsClientCertThumbprint());
        text("dpopThumbprint", n.dpopThumbprint());
        gen.writeEndObject();
    }

    private void workload(WorkloadInfo w) throws IOException {
        gen.writeStartObject();
        text("issuer", w.issuer());
        text("subject", w.subject());
        member("claims", w.claims());
        gen.writeEndObject();
    }

    private void organization(OrganizationInfo o) throws IOException {
        gen.writeStartObject();
        text("id", o.id());
        text("alias", o.alias());
        gen.writeEndObject();
    }

    private void nhi(NhiInfo n) throws IOException {
        gen.writeStartObject();
        text("owner", n.owner());
        text("ownerUsername", n.ownerUsername());
        gen.writeBooleanField("ownerExists", n.ownerExists());
        gen.writeBooleanField("ownerEnabled", n.ownerEnabled());
        instant("expiresAt", n.expiresAt());
        text("purpose", n.purpose());
        gen.writeEndObject();
    }

    private void text(String name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            gen.writeStringField(name, value);
        }
    }

    private void instant(String name, Instant value) throws IOException {
        if (value != null) {
            gen.writeStringField(name, value.toString());
        }
    }

    /** A list or map component, unless empty (Jackson's NON_EMPTY, with the capture's rule for deferred facts). */
    private void member(String name, Object value) throws IOException {
        if (!isEmpty(value)) {
            gen.writeFieldName(name);
            writeValue(value);
        }
    }

    private static boolean isEmpty(Object value) {
        if (value == null) {
            return true;
        }
        if (value instanceof DeferredList<?> list) {
            return list.fetched() && list.isEmpty(); // an unread list is written ([]) and named in partial
        }
        if (value instanceof DeferredMap<?> map) {
            return map.fetched() && map.isEmpty();
        }
        if (value instanceof Collection<?> c) {
            return c.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return m.isEmpty();
        }
        return false;
    }

    private void writeValue(Object value) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else if (value instanceof String s) {
            gen.writeString(s);
        } else if (value instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            gen.writeNumber(((Number) value).intValue());
        } else if (value instanceof Long l) {
            gen.writeNumber(l);
        } else if (value instanceof Double d) {
            gen.writeNumber(d);
        } else if (value instanceof Float f) {
            gen.writeNumber(f);
        } else if (value instanceof BigDecimal d) {
            gen.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            gen.writeNumber(i);
        } else if (value instanceof Instant t) {
            gen.writeString(t.toString());
        } else if (value instanceof DeferredList<?> list) {
            gen.writeStartArray();
            if (list.fetched()) {
                for (Object item : list) {
                    writeValue(item);
                }
            }
            gen.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            writeMap(map);
        } else if (value instanceof List<?> list) {
            gen.writeStartArray();
            for (Object item : list) {
                writeValue(item);
            }
            gen.writeEndArray();
        } else {
            fallback.writeValue(gen, value);
        }
    }

    /** A map without its credential-looking entries; of an unfetched deferred map, the keys read that exist. */
    private void writeMap(Map<?, ?> map) throws IOException {
        Map<?, ?> entries = map instanceof DeferredMap<?> deferred && !deferred.fetched() ? deferred.keysRead() : map;
        gen.writeStartObject();
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object value = e.getValue();
            if (value == null || RequestCapture.looksLikeCredentialKey(key)
                    || RequestCapture.looksLikeCredentialValue(value)) {
                continue;
            }
            gen.writeFieldName(key);
            if (value instanceof List<?> list) {
                gen.writeStartArray();
                for (Object item : list) {
                    if (!RequestCapture.looksLikeCredentialValue(item)) {
                        writeValue(item);
                    }
                }
                gen.writeEndArray();
            } else {
                writeValue(value);
            }
        }
        gen.writeEndObject();
    }
}
