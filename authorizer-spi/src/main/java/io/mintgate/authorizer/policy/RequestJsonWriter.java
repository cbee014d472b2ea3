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
 * Writes a request's records straight to a JSON generator, walking their components ({@link RecordShape}) instead
 * of going through Jackson's bean serializers: a capture is written on the request thread of every decision, and
 * the bean path (property writers, serializer lookups, reflective accessors) cost several times the decision's own
 * evaluation. The output is byte for byte what {@link RequestCapture}'s Jackson configuration writes (pinned by
 * RequestCaptureTest): components in declaration order, empty ones left out (null, "", empty lists and maps; a
 * deferred list or map that was not fetched counts as not empty), {@link Instant} as its text, every map through
 * {@link RequestCapture#looksLikeCredentialKey} and {@link RequestCapture#looksLikeCredentialValue}. A value of any
 * other type is handed to {@code fallback}, the Jackson mapper of that configuration.
 */
final class RequestJsonWriter {
    private final JsonGenerator gen;
    private final ObjectMapper fallback;

    RequestJsonWriter(JsonGenerator gen, ObjectMapper fallback) {
        this.gen = gen;
        this.fallback = fallback;
    }

    void writeRecord(Record record) throws IOException {
        gen.writeStartObject();
        writeMembers(record);
        gen.writeEndObject();
    }

    /** The record's non-empty components as members of the object being written. */
    void writeMembers(Record record) throws IOException {
        RecordShape shape = RecordShape.of(record.getClass());
        for (int i = 0; i < shape.names.length; i++) {
            Object value = shape.get(record, i);
            if (!isEmpty(value)) {
                gen.writeFieldName(shape.names[i]);
                writeValue(value);
            }
        }
    }

    /** Jackson's NON_EMPTY, with the capture's rule for deferred facts: an unread one is written (and named partial). */
    private static boolean isEmpty(Object value) {
        if (value == null) {
            return true;
        }
        if (value instanceof String s) {
            return s.isEmpty();
        }
        if (value instanceof DeferredList<?> list) {
            return list.fetched() && list.isEmpty();
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
        } else if (value instanceof Record record) {
            writeRecord(record);
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
