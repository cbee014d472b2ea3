package io.mintgate.audit.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a record's two byte forms straight from the record, without building a JSON tree: the canonical form the
 * hash chain covers and the CloudEvent JSON that is spooled and shipped. Both are byte for byte what
 * {@link RecordJson#canonicalWithoutHash} and {@link RecordJson#toBytes} produce from {@link RecordJson#toTree} (the
 * verifier's view), only cheaper: the spool writer encodes every token request, and the tree was most of the audit
 * listener's garbage. The data member is written by hand too, not by Jackson's bean serializers (see
 * {@code writeData}); only Jackson's generator is used, for escaping and number output. Not thread-safe: one encoder
 * per spool writer; the returned bytes are reused by the next call.
 */
public final class RecordEncoder {
    /*
     * Member names, quoted and UTF-8 encoded once (what Jackson's bean serializers do too) instead of escaped again for
     * every record: names are about a third of the bytes written. Each name is declared once, under the first type
     * (in the order below) that uses it.
     */
    private static final SerializedString DATA = new SerializedString("data");
    private static final SerializedString DATACONTENTTYPE = new SerializedString("datacontenttype");
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString SPECVERSION = new SerializedString("specversion");
    private static final SerializedString SUBJECT = new SerializedString("subject");
    private static final SerializedString TIME = new SerializedString("time");
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString MINTGATECHAIN = new SerializedString(RecordJson.EXT_CHAIN);
    private static final SerializedString MINTGATESEQ = new SerializedString(RecordJson.EXT_SEQ);
    private static final SerializedString MINTGATEPREV = new SerializedString(RecordJson.EXT_PREV);
    private static final SerializedString MINTGATEHASH = new SerializedString(RecordJson.EXT_HASH);
    private static final SerializedString SPEC_VERSION_VALUE = new SerializedString(AuditRecord.SPEC_VERSION);
    private static final SerializedString DATA_CONTENT_TYPE_VALUE = new SerializedString(AuditRecord.DATA_CONTENT_TYPE);

    // AccessData
    private static final SerializedString REALM = new SerializedString("realm");
    private static final SerializedString CLIENT_ID = new SerializedString("clientId");
    private static final SerializedString USERNAME = new SerializedString("username");
    private static final SerializedString ACTOR = new SerializedString("actor");
    private static final SerializedString GRANT_TYPE = new SerializedString("grantType");
    private static final SerializedString SCOPES = new SerializedString("scopes");
    private static final SerializedString AUDIENCE = new SerializedString("audience");
    private static final SerializedString TOKEN_ID = new SerializedString("tokenId");
    private static final SerializedString EXPIRES_AT = new SerializedString("expiresAt");
    private static final SerializedString SOURCE_ADDRESS = new SerializedString("sourceAddress");
    private static final SerializedString KEYCLOAK_EVENT_ID = new SerializedString("keycloakEventId");
    private static final SerializedString KEYCLOAK_EVENT_TYPE = new SerializedString("keycloakEventType");
    private static final SerializedString ERROR = new SerializedString("error");
    private static final SerializedString DECISION = new SerializedString("decision");
    private static final SerializedString RESOURCE = new SerializedString("resource");
    private static final SerializedString DETAILS = new SerializedString("details");
    private static final SerializedString NHI = new SerializedString("nhi");
    // Actor
    private static final SerializedString USER_ID = new SerializedString("userId");
    private static final SerializedString IP_ADDRESS = new SerializedString("ipAddress");
    // Decision
    private static final SerializedString RULE = new SerializedString("rule");
    private static final SerializedString REASON = new SerializedString("reason");
    private static final SerializedString MODE = new SerializedString("mode");
    private static final SerializedString OUTCOME = new SerializedString("outcome");
    private static final SerializedString POLICY_VERSION = new SerializedString("policyVersion");
    private static final SerializedString NARROWED = new SerializedString("narrowed");
    private static final SerializedString SHADOW_DENIALS = new SerializedString("shadowDenials");
    private static final SerializedString RULE_ERRORS = new SerializedString("ruleErrors");
    // AdminResource
    private static final SerializedString OPERATION = new SerializedString("operation");
    private static final SerializedString PATH = new SerializedString("path");
    private static final SerializedString SERVICE_ACCOUNT = new SerializedString("serviceAccount");
    private static final SerializedString SECRET_ROTATION = new SerializedString("secretRotation");
    // NhiFacts
    private static final SerializedString OWNER = new SerializedString("owner");
    private static final SerializedString PURPOSE = new SerializedString("purpose");
    // CheckpointData
    private static final SerializedString CHAIN = new SerializedString("chain");
    private static final SerializedString SEQ = new SerializedString("seq");
    private static final SerializedString HASH = new SerializedString("hash");
    private static final SerializedString COUNT = new SerializedString("count");
    private static final SerializedString ALG = new SerializedString("alg");
    private static final SerializedString KID = new SerializedString("kid");
    private static final SerializedString JWS = new SerializedString("jws");

    /** The spool's chain id, quoted and encoded once: it is the same in every record this encoder writes. */
    private final SerializedString chain;
    private final Bytes canonical = new Bytes();
    private final Bytes payload = new Bytes();
    private JsonGenerator canonicalGen;
    private JsonGenerator payloadGen;
    /** The details being written, with their sorted key order remembered per key sequence. */
    private final DetailOrder details = new DetailOrder();

    /** Writes records with the chain attribute {@code mintgatechain} = {@code chainId}. */
    public RecordEncoder(String chainId) {
        this.chain = new SerializedString(java.util.Objects.requireNonNull(chainId, "chainId"));
    }

    /** Writes records without a chain id, as spools did before chain ids existed (tests of such trails). */
    public RecordEncoder() {
        this.chain = null;
    }

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
            gen.writeFieldName(DATA);
            writeData(gen, record.data(), true);
            gen.writeFieldName(DATACONTENTTYPE);
            gen.writeString(DATA_CONTENT_TYPE_VALUE);
            field(gen, ID, record.id());
            if (chain != null) {
                gen.writeFieldName(MINTGATECHAIN);
                gen.writeString(chain);
            }
            field(gen, MINTGATEPREV, prevHash);
            number(gen, MINTGATESEQ, seq);
            field(gen, SOURCE, record.source());
            gen.writeFieldName(SPECVERSION);
            gen.writeString(SPEC_VERSION_VALUE);
            if (record.subject() != null) {
                field(gen, SUBJECT, record.subject());
            }
            field(gen, TIME, record.time());
            field(gen, TYPE, record.type());
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
            gen.writeFieldName(SPECVERSION);
            gen.writeString(SPEC_VERSION_VALUE);
            field(gen, ID, record.id());
            field(gen, SOURCE, record.source());
            field(gen, TYPE, record.type());
            field(gen, TIME, record.time());
            if (record.subject() != null) {
                field(gen, SUBJECT, record.subject());
            }
            gen.writeFieldName(DATACONTENTTYPE);
            gen.writeString(DATA_CONTENT_TYPE_VALUE);
            gen.writeFieldName(DATA);
            writeData(gen, record.data(), false);
            if (chain != null) {
                gen.writeFieldName(MINTGATECHAIN);
                gen.writeString(chain);
            }
            number(gen, MINTGATESEQ, seq);
            field(gen, MINTGATEPREV, prevHash);
            field(gen, MINTGATEHASH, hash);
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

    /*
     * The data member, written by hand. It used to go through Jackson's bean serializers (a sorted-properties,
     * sorted-map-entries writer for the canonical form, the plain mapper for the payload); those two calls were the
     * main cost of the spool writer thread (property sorting, map entries copied into a TreeMap per record). The code
     * below walks the record types directly and writes exactly what those serializers wrote, as the Jackson
     * annotations on the record types define it; RecordEncoderTest pins the bytes to the Jackson tree path
     * (RecordJson.toTree). A new record component, or a changed @JsonInclude, has to be mirrored here.
     *
     * Inclusion rules mirrored:
     *   NON_EMPTY (AccessData, Decision): skips null, "" and empty lists and maps; keeps 0L (NON_EMPTY is not
     *     NON_DEFAULT) and keeps a non-null nested record even when all its members are left out ({}).
     *   NON_NULL (Actor, AdminResource, NhiFacts): skips null only; keeps "" and Boolean false.
     *   none (CheckpointData): the mapper default ALWAYS, so null members are written as null.
     *   Map values are not affected by the class-level inclusion: "" values are written.
     * Canonical form: members sorted by String.compareTo at every level (the orders below are that order, spelt
     * out); payload form: record declaration order, map entries in the map's own iteration order.
     */

    private void writeData(JsonGenerator gen, RecordData data, boolean canonical) throws IOException {
        // Java 17 has no exhaustive switch over the sealed RecordData; RecordEncoderTest fails when a permitted type is
        // added, and any type not handled here fails loudly instead of writing a wrong hash.
        if (data instanceof AccessData access) {
            if (canonical) {
                writeCanonical(gen, access);
            } else {
                writePayload(gen, access);
            }
        } else if (data instanceof CheckpointData checkpoint) {
            if (canonical) {
                writeCanonical(gen, checkpoint);
            } else {
                writePayload(gen, checkpoint);
            }
        } else {
            throw new IllegalStateException("RecordEncoder cannot write " + data.getClass().getName());
        }
    }

    private void writeCanonical(JsonGenerator gen, AccessData d) throws IOException {
        gen.writeStartObject();
        if (d.actor() != null) {
            gen.writeFieldName(ACTOR);
            writeCanonical(gen, d.actor());
        }
        nonEmpty(gen, AUDIENCE, d.audience());
        nonEmpty(gen, CLIENT_ID, d.clientId());
        if (d.decision() != null) {
            gen.writeFieldName(DECISION);
            writeCanonical(gen, d.decision());
        }
        if (d.details() != null && !d.details().isEmpty()) {
            gen.writeFieldName(DETAILS);
            writeSorted(gen, d.details());
        }
        nonEmpty(gen, ERROR, d.error());
        nonNull(gen, EXPIRES_AT, d.expiresAt());
        nonEmpty(gen, GRANT_TYPE, d.grantType());
        nonEmpty(gen, KEYCLOAK_EVENT_ID, d.keycloakEventId());
        nonEmpty(gen, KEYCLOAK_EVENT_TYPE, d.keycloakEventType());
        if (d.nhi() != null) {
            gen.writeFieldName(NHI);
            writeCanonical(gen, d.nhi());
        }
        nonEmpty(gen, REALM, d.realm());
        if (d.resource() != null) {
            gen.writeFieldName(RESOURCE);
            writeCanonical(gen, d.resource());
        }
        nonEmpty(gen, SCOPES, d.scopes());
        nonEmpty(gen, SOURCE_ADDRESS, d.sourceAddress());
        nonEmpty(gen, SUBJECT, d.subject());
        nonEmpty(gen, TOKEN_ID, d.tokenId());
        nonEmpty(gen, USERNAME, d.username());
        gen.writeEndObject();
    }

    private void writePayload(JsonGenerator gen, AccessData d) throws IOException {
        gen.writeStartObject();
        nonEmpty(gen, REALM, d.realm());
        nonEmpty(gen, CLIENT_ID, d.clientId());
        nonEmpty(gen, SUBJECT, d.subject());
        nonEmpty(gen, USERNAME, d.username());
        if (d.actor() != null) {
            gen.writeFieldName(ACTOR);
            writePayload(gen, d.actor());
        }
        nonEmpty(gen, GRANT_TYPE, d.grantType());
        nonEmpty(gen, SCOPES, d.scopes());
        nonEmpty(gen, AUDIENCE, d.audience());
        nonEmpty(gen, TOKEN_ID, d.tokenId());
        nonNull(gen, EXPIRES_AT, d.expiresAt());
        nonEmpty(gen, SOURCE_ADDRESS, d.sourceAddress());
        nonEmpty(gen, KEYCLOAK_EVENT_ID, d.keycloakEventId());
        nonEmpty(gen, KEYCLOAK_EVENT_TYPE, d.keycloakEventType());
        nonEmpty(gen, ERROR, d.error());
        if (d.decision() != null) {
            gen.writeFieldName(DECISION);
            writePayload(gen, d.decision());
        }
        if (d.resource() != null) {
            gen.writeFieldName(RESOURCE);
            writePayload(gen, d.resource());
        }
        if (d.details() != null && !d.details().isEmpty()) {
            gen.writeFieldName(DETAILS);
            writeInIterationOrder(gen, d.details());
        }
        if (d.nhi() != null) {
            gen.writeFieldName(NHI);
            writePayload(gen, d.nhi());
        }
        gen.writeEndObject();
    }

    private static void writeCanonical(JsonGenerator gen, Actor a) throws IOException {
        gen.writeStartObject();
        nonNull(gen, CLIENT_ID, a.clientId());
        nonNull(gen, IP_ADDRESS, a.ipAddress());
        nonNull(gen, REALM, a.realm());
        nonNull(gen, USER_ID, a.userId());
        gen.writeEndObject();
    }

    private static void writePayload(JsonGenerator gen, Actor a) throws IOException {
        gen.writeStartObject();
        nonNull(gen, USER_ID, a.userId());
        nonNull(gen, CLIENT_ID, a.clientId());
        nonNull(gen, REALM, a.realm());
        nonNull(gen, IP_ADDRESS, a.ipAddress());
        gen.writeEndObject();
    }

    private static void writeCanonical(JsonGenerator gen, Decision d) throws IOException {
        gen.writeStartObject();
        nonEmpty(gen, ID, d.id());
        nonEmpty(gen, MODE, d.mode());
        nonEmpty(gen, NARROWED, d.narrowed());
        nonEmpty(gen, OUTCOME, d.outcome());
        nonEmpty(gen, POLICY_VERSION, d.policyVersion());
        nonEmpty(gen, REASON, d.reason());
        nonEmpty(gen, RULE, d.rule());
        nonEmpty(gen, RULE_ERRORS, d.ruleErrors());
        nonEmpty(gen, SHADOW_DENIALS, d.shadowDenials());
        gen.writeEndObject();
    }

    private static void writePayload(JsonGenerator gen, Decision d) throws IOException {
        gen.writeStartObject();
        nonEmpty(gen, ID, d.id());
        nonEmpty(gen, RULE, d.rule());
        nonEmpty(gen, REASON, d.reason());
        nonEmpty(gen, MODE, d.mode());
        nonEmpty(gen, OUTCOME, d.outcome());
        nonEmpty(gen, POLICY_VERSION, d.policyVersion());
        nonEmpty(gen, NARROWED, d.narrowed());
        nonEmpty(gen, SHADOW_DENIALS, d.shadowDenials());
        nonEmpty(gen, RULE_ERRORS, d.ruleErrors());
        gen.writeEndObject();
    }

    private static void writeCanonical(JsonGenerator gen, AdminResource r) throws IOException {
        gen.writeStartObject();
        nonNull(gen, ID, r.id());
        nonNull(gen, OPERATION, r.operation());
        nonNull(gen, PATH, r.path());
        nonNull(gen, SECRET_ROTATION, r.secretRotation());
        nonNull(gen, SERVICE_ACCOUNT, r.serviceAccount());
        nonNull(gen, TYPE, r.type());
        gen.writeEndObject();
    }

    private static void writePayload(JsonGenerator gen, AdminResource r) throws IOException {
        gen.writeStartObject();
        nonNull(gen, TYPE, r.type());
        nonNull(gen, OPERATION, r.operation());
        nonNull(gen, PATH, r.path());
        nonNull(gen, ID, r.id());
        nonNull(gen, SERVICE_ACCOUNT, r.serviceAccount());
        nonNull(gen, SECRET_ROTATION, r.secretRotation());
        gen.writeEndObject();
    }

    private static void writeCanonical(JsonGenerator gen, NhiFacts n) throws IOException {
        gen.writeStartObject();
        nonNull(gen, EXPIRES_AT, n.expiresAt());
        nonNull(gen, OWNER, n.owner());
        nonNull(gen, PURPOSE, n.purpose());
        gen.writeEndObject();
    }

    private static void writePayload(JsonGenerator gen, NhiFacts n) throws IOException {
        gen.writeStartObject();
        nonNull(gen, OWNER, n.owner());
        nonNull(gen, EXPIRES_AT, n.expiresAt());
        nonNull(gen, PURPOSE, n.purpose());
        gen.writeEndObject();
    }

    private static void writeCanonical(JsonGenerator gen, CheckpointData c) throws IOException {
        gen.writeStartObject();
        always(gen, ALG, c.alg());
        always(gen, CHAIN, c.chain());
        number(gen, COUNT, c.count());
        always(gen, HASH, c.hash());
        always(gen, JWS, c.jws());
        always(gen, KID, c.kid());
        number(gen, SEQ, c.seq());
        gen.writeEndObject();
    }

    private static void writePayload(JsonGenerator gen, CheckpointData c) throws IOException {
        gen.writeStartObject();
        always(gen, CHAIN, c.chain());
        number(gen, SEQ, c.seq());
        always(gen, HASH, c.hash());
        number(gen, COUNT, c.count());
        always(gen, ALG, c.alg());
        always(gen, KID, c.kid());
        always(gen, JWS, c.jws());
        gen.writeEndObject();
    }

    /** Map entries by key (String.compareTo), as ORDER_MAP_ENTRIES_BY_KEYS and the canonical tree walk order them. */
    private void writeSorted(JsonGenerator gen, Map<String, String> map) throws IOException {
        details.load(map);
        gen.writeStartObject();
        for (int rank = 0, n = details.size(); rank < n; rank++) {
            writeEntry(gen, details.sorted(rank));
        }
        gen.writeEndObject();
    }

    private void writeInIterationOrder(JsonGenerator gen, Map<String, String> map) throws IOException {
        details.load(map);
        gen.writeStartObject();
        for (int i = 0, n = details.size(); i < n; i++) {
            writeEntry(gen, i);
        }
        gen.writeEndObject();
    }

    /** What writeStringField(key, value) writes, with the key quoted ahead of time when it can be. */
    private void writeEntry(JsonGenerator gen, int i) throws IOException {
        SerializableString name = details.name(i);
        if (name != null) {
            gen.writeFieldName(name);
        } else {
            gen.writeFieldName(details.key(i));
        }
        gen.writeString(details.value(i));
    }

    /** A string member written as is (null as null), like writeStringField. */
    private static void field(JsonGenerator gen, SerializableString name, String value) throws IOException {
        gen.writeFieldName(name);
        gen.writeString(value);
    }

    private static void number(JsonGenerator gen, SerializableString name, long value) throws IOException {
        gen.writeFieldName(name);
        gen.writeNumber(value);
    }

    /** NON_EMPTY string: neither null nor "". */
    private static void nonEmpty(JsonGenerator gen, SerializableString name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            gen.writeFieldName(name);
            gen.writeString(value);
        }
    }

    /** NON_EMPTY list: neither null nor empty. */
    private static void nonEmpty(JsonGenerator gen, SerializableString name, List<String> values) throws IOException {
        if (values == null || values.isEmpty()) {
            return;
        }
        gen.writeFieldName(name);
        gen.writeStartArray();
        for (int i = 0, n = values.size(); i < n; i++) {
            gen.writeString(values.get(i));
        }
        gen.writeEndArray();
    }

    /** NON_NULL string: "" is written. */
    private static void nonNull(JsonGenerator gen, SerializableString name, String value) throws IOException {
        if (value != null) {
            gen.writeFieldName(name);
            gen.writeString(value);
        }
    }

    /** A Long under NON_EMPTY as well as NON_NULL: only null is left out, 0 is written. */
    private static void nonNull(JsonGenerator gen, SerializableString name, Long value) throws IOException {
        if (value != null) {
            gen.writeFieldName(name);
            gen.writeNumber(value.longValue());
        }
    }

    /** NON_NULL Boolean: false is written. */
    private static void nonNull(JsonGenerator gen, SerializableString name, Boolean value) throws IOException {
        if (value != null) {
            gen.writeFieldName(name);
            gen.writeBoolean(value.booleanValue());
        }
    }

    /** Default inclusion (ALWAYS): null is written as null. */
    private static void always(JsonGenerator gen, SerializableString name, String value) throws IOException {
        gen.writeFieldName(name);
        if (value == null) {
            gen.writeNull();
        } else {
            gen.writeString(value);
        }
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
