package io.mintgate.audit.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns records into CloudEvents JSON and defines the canonical byte form the hash chain is computed over.
 * Canonical form = the JSON tree with keys sorted at every level, no whitespace, Jackson's string escaping.
 * The verifier re-parses exported JSON and recomputes the same bytes, so any serialisation order works on the wire.
 * The spool writer does not build trees: it writes through {@link RecordEncoder}, which must produce these bytes.
 */
public final class RecordJson {
    /** The chain id of the spool that wrote the record; absent in records of spools older than chain ids. */
    public static final String EXT_CHAIN = "mintgatechain";
    public static final String EXT_SEQ = "mintgateseq";
    public static final String EXT_PREV = "mintgateprev";
    public static final String EXT_HASH = "mintgatehash";

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private RecordJson() {
    }

    public static ObjectNode toTree(AuditRecord record) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("specversion", AuditRecord.SPEC_VERSION);
        node.put("id", record.id());
        node.put("source", record.source());
        node.put("type", record.type());
        node.put("time", record.time());
        if (record.subject() != null) {
            node.put("subject", record.subject());
        }
        node.put("datacontenttype", AuditRecord.DATA_CONTENT_TYPE);
        node.set("data", MAPPER.valueToTree(record.data()));
        return node;
    }

    public static byte[] toBytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The top-level {@code type} of a spooled record, read only as far as that member (the spool writer puts it before
     * {@code data}), so that recovery can find the last checkpoint without parsing every record whole.
     *
     * @return the type, or null when the record has none or is not a JSON object
     */
    public static String typeOf(byte[] json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isType = "type".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (isType) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException notJson) {
            return null;
        }
    }

    /** Canonical bytes of {@code node} without the {@link #EXT_HASH} member: the input of the record hash. */
    public static byte[] canonicalWithoutHash(ObjectNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            writeCanonical(gen, node, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeCanonical(JsonGenerator gen, JsonNode node, boolean top) throws IOException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                names.add(it.next().getKey());
            }
            names.sort(null);
            gen.writeStartObject();
            for (String name : names) {
                if (top && EXT_HASH.equals(name)) {
                    continue;
                }
                gen.writeFieldName(name);
                writeCanonical(gen, node.get(name), false);
            }
            gen.writeEndObject();
        } else if (node.isArray()) {
            gen.writeStartArray();
            for (JsonNode element : node) {
                writeCanonical(gen, element, false);
            }
            gen.writeEndArray();
        } else {
            MAPPER.writeTree(gen, node);
        }
    }
}
