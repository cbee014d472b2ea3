package io.mintgate.audit.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a record's two byte forms straight from the record, without building a JSON tree: the canonical form the
 * hash chain covers and the CloudEvent JSON that is spooled and shipped. Both are byte for byte what
 * {@link RecordJson#canonicalWithoutHash} and {@link RecordJson#toBytes} produce from {@link RecordJson#toTree} (the
 * verifier's view), only cheaper: the spool writer encodes every token request, and the tree was most of the audit
 * listener's garbage. Not thread-safe: one encoder per spool writer; the returned bytes are reused by the next call.
 */
public final class RecordEncoder {
    /** Canonical = keys sorted at every level; for records and maps this is what these two features do. */
    private static final ObjectWriter CANONICAL_DATA = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build().writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    private static final ObjectWriter DATA = RecordJson.MAPPER.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private final Bytes canonical = new Bytes();
    private final Bytes payload = new Bytes();
    private JsonGenerator canonicalGen;
    private JsonGenerator payloadGen;

    /**
     * Canonical bytes of the record as chained at {@code seq} after {@code prevHash}, without the hash member:
     * the input of the record hash. Valid until the next call.
     */
    public Bytes canonical(AuditRecord record, long seq, String prevHash) {
        canonical.reset();
        try {
            JsonGenerator gen = canonicalGen();
            // Top-level members in sorted order (String.compareTo), like the tree walk of the verifier.
            gen.writeStartObject();
            gen.writeFieldName("data");
            CANONICAL_DATA.writeValue(gen, record.data());
            gen.writeStringField("datacontenttype", AuditRecord.DATA_CONTENT_TYPE);
            gen.writeStringField("id", record.id());
            gen.writeStringField(RecordJson.EXT_PREV, prevHash);
            gen.writeNumberField(RecordJson.EXT_SEQ, seq);
            gen.writeStringField("source", record.source());
            gen.writeStringField("specversion", AuditRecord.SPEC_VERSION);
            if (record.subject() != null) {
                gen.writeStringField("subject", record.subject());
            }
            gen.writeStringField("time", record.time());
            gen.writeStringField("type", record.type());
            gen.writeEndObject();
            gen.flush();
        } catch (IOException | RuntimeException e) {
            canonicalGen = null;
            throw failure(e);
        }
        return canonical;
    }

    /** The CloudEvent JSON with the chain attributes, members in the order the spool has always written them. */
    public Bytes payload(AuditRecord record, long seq, String prevHash, String hash) {
        payload.reset();
        try {
            JsonGenerator gen = payloadGen();
            gen.writeStartObject();
            gen.writeStringField("specversion", AuditRecord.SPEC_VERSION);
            gen.writeStringField("id", record.id());
            gen.writeStringField("source", record.source());
            gen.writeStringField("type", record.type());
            gen.writeStringField("time", record.time());
            if (record.subject() != null) {
                gen.writeStringField("subject", record.subject());
            }
            gen.writeStringField("datacontenttype", AuditRecord.DATA_CONTENT_TYPE);
            gen.writeFieldName("data");
            DATA.writeValue(gen, record.data());
            gen.writeNumberField(RecordJson.EXT_SEQ, seq);
            gen.writeStringField(RecordJson.EXT_PREV, prevHash);
            gen.writeStringField(RecordJson.EXT_HASH, hash);
            gen.writeEndObject();
            gen.flush();
        } catch (IOException | RuntimeException e) {
            payloadGen = null;
            throw failure(e);
        }
        return payload;
    }

    /** What the last {@link #payload} call wrote. */
    public Bytes payloadBytes() {
        return payload;
    }

    private JsonGenerator canonicalGen() throws IOException {
        if (canonicalGen == null) {
            canonicalGen = reusable(canonical);
        }
        return canonicalGen;
    }

    private JsonGenerator payloadGen() throws IOException {
        if (payloadGen == null) {
            payloadGen = reusable(payload);
        }
        return payloadGen;
    }

    /** One generator per output for the encoder's life; no separator between the records it writes one after another. */
    private static JsonGenerator reusable(Bytes target) throws IOException {
        JsonGenerator gen = RecordJson.MAPPER.getFactory().createGenerator(target);
        gen.setRootValueSeparator(null);
        return gen;
    }

    private static RuntimeException failure(Exception e) {
        return e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }

    /** A growable byte buffer whose contents are read in place (no copy per record). */
    public static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(2048);
        }

        public byte[] array() {
            return buf;
        }

        public int length() {
            return count;
        }

        /** A copy, for callers that keep the bytes. */
        public byte[] copy() {
            return toByteArray();
        }
    }
}
