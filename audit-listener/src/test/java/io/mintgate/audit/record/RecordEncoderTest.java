package io.mintgate.audit.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.chain.HashChain;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spool writes records through {@link RecordEncoder}; the chain verifier recomputes hashes through the JSON tree
 * ({@link RecordJson#toTree}, {@link RecordJson#canonicalWithoutHash}). Both must produce the same bytes, or every
 * exported chain would fail verification.
 */
class RecordEncoderTest {

    @Test
    void encoderWritesTheSameCanonicalBytesPayloadAndHashesAsTheTreePath() throws Exception {
        // Twice through, so the encoder's reused generators and buffers carry state from record to record.
        assertSameAsTreePath(concat(concat(records(), inclusionEdges()), concat(records(), inclusionEdges())));
    }

    /**
     * The encoder remembers the sorted order and quoted names of the last few detail key sequences: records whose
     * details come and go between more key sets than it remembers, with keys it must leave to the generator
     * (quotes, control characters, non-ASCII, spaces), must still come out as the tree path writes them.
     */
    @Test
    void manyDetailKeySetsInTurnWriteAsTheTreePath() throws Exception {
        String[] keys = {"grant_type", "scope", "code_id", "redirect_uri", "token_id", "username", "a", "Z", "_",
                "", "a b", "quote\"", "back\\slash", "ctl\u0001", "é", "\uD83D\uDE80", "\uFF5A", "mintgatehash",
                "x-y.z:w", "refresh_token_type"};
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        List<Map<String, String>> keySets = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            Map<String, String> details = new LinkedHashMap<>();
            for (int n = random.nextInt(keys.length); n > 0; n--) {
                details.put(keys[random.nextInt(keys.length)], "v" + random.nextInt(100));
            }
            keySets.add(details);
        }
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            // Runs of one key set (cache hits), then a jump to another (misses, evictions once past eight sets).
            Map<String, String> details = new LinkedHashMap<>(keySets.get((i / 3 + random.nextInt(2)) % keySets.size()));
            details.replaceAll((k, v) -> "value " + random.nextInt(1000) + " " + k);
            records.add(withDetails(details));
        }
        assertSameAsTreePath(records);
    }

    /** With a chain id (what every spool writes now) and without one (records of spools older than chain ids). */
    private static void assertSameAsTreePath(List<AuditRecord> records) throws Exception {
        assertSameAsTreePath(records, "7d3c6f0e-node.a:1_x");
        assertSameAsTreePath(records, null);
    }

    private static void assertSameAsTreePath(List<AuditRecord> records, String chainId) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        RecordEncoder encoder = chainId == null ? new RecordEncoder() : new RecordEncoder(chainId);
        HashChain chain = new HashChain(0, HashChain.GENESIS);
        String prev = HashChain.GENESIS;
        long seq = 0;
        for (AuditRecord record : records) {
            seq++;
            ObjectNode tree = RecordJson.toTree(record);
            if (chainId != null) {
                tree.put(RecordJson.EXT_CHAIN, chainId);
            }
            tree.put(RecordJson.EXT_SEQ, seq);
            tree.put(RecordJson.EXT_PREV, prev);
            byte[] treeCanonical = RecordJson.canonicalWithoutHash(tree);
            String treeHash = HashChain.hashOf(sha, prev, treeCanonical);
            tree.put(RecordJson.EXT_HASH, treeHash);
            byte[] treePayload = RecordJson.toBytes(tree);

            RecordEncoder.Bytes canonical = encoder.canonical(record, seq, prev);
            assertThat(utf8(canonical.copy())).isEqualTo(utf8(treeCanonical));
            assertThat(canonical.copy()).isEqualTo(treeCanonical);

            HashChain.Link link = chain.seal(record, encoder);
            assertThat(link.seq()).isEqualTo(seq);
            assertThat(link.hash()).isEqualTo(treeHash);
            byte[] payload = encoder.payloadBytes().copy();
            assertThat(utf8(payload)).isEqualTo(utf8(treePayload));
            assertThat(payload).isEqualTo(treePayload);
            prev = treeHash;
        }
    }

    /** The encoder spells out each record type's members; a record with all of them set must show all of them. */
    @Test
    void aFullyPopulatedRecordWritesEveryComponentInDeclarationOrder() {
        AuditRecord record = new AuditRecord("id", RecordType.TOKEN_ISSUED, "/realms/r", "t", "s", everything());
        RecordEncoder encoder = new RecordEncoder();
        encoder.canonical(record, 1, HashChain.GENESIS);
        JsonNode data = RecordJson.parse(encoder.payload(record, 1, HashChain.GENESIS, HashChain.GENESIS).copy())
                .get("data");
        assertThat(fieldNames(data)).containsExactlyElementsOf(componentNames(AccessData.class));
        assertThat(fieldNames(data.get("actor"))).containsExactlyElementsOf(componentNames(Actor.class));
        assertThat(fieldNames(data.get("decision"))).containsExactlyElementsOf(componentNames(Decision.class));
        assertThat(fieldNames(data.get("resource"))).containsExactlyElementsOf(componentNames(AdminResource.class));
        assertThat(fieldNames(data.get("nhi"))).containsExactlyElementsOf(componentNames(NhiFacts.class));

        AuditRecord checkpoint = new AuditRecord("cp", RecordType.CHECKPOINT, "/mintgate/audit", "t", null,
                new CheckpointData("chain-1", 1, "h", 1, "ES256", "k", "j"));
        encoder.canonical(checkpoint, 2, HashChain.GENESIS);
        JsonNode cpData = RecordJson.parse(encoder.payload(checkpoint, 2, HashChain.GENESIS, HashChain.GENESIS).copy())
                .get("data");
        assertThat(fieldNames(cpData)).containsExactlyElementsOf(componentNames(CheckpointData.class));
    }

    /**
     * RecordEncoder handles the permitted types of RecordData one by one (Java 17 has no exhaustive pattern switch):
     * a new one must be added there, and to the records above, before this passes again.
     */
    @Test
    void theEncoderKnowsEveryKindOfRecordData() {
        assertThat(RecordData.class.getPermittedSubclasses()).containsExactlyInAnyOrder(AccessData.class,
                CheckpointData.class);
    }

    @Test
    void theHashIsLeftOutOfTheCanonicalFormOnlyAtTheTop() {
        AuditRecord record = withDetails(Map.of("mintgatehash", "nested, kept", "zeta", "z"));
        String canonical = utf8(new RecordEncoder().canonical(record, 7, HashChain.GENESIS).copy());
        assertThat(canonical).contains("\"mintgatehash\":\"nested, kept\"")
                .startsWith("{\"data\":{").contains("\"mintgateprev\":\"" + HashChain.GENESIS + "\",\"mintgateseq\":7,");
        assertThat(canonical.indexOf("mintgatehash")).isEqualTo(canonical.lastIndexOf("mintgatehash"));
    }

    /** Token, denial, admin and NHI change, checkpoint: nested objects, arrays, booleans, numbers, nulls, unicode. */
    private static List<AuditRecord> records() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("scope", "openid orders:read");
        details.put("Zulu", "upper case sorts first");
        details.put("_under", "underscore sorts between");
        details.put("reason", "Grüße, 東京, emoji \uD83D\uDE80, quote \" backslash \\ tab \t newline \n nul \u0000 </script>");
        details.put("a", "");
        details.put("lone_surrogate", "broken \uD800 text");
        AccessData full = new AccessData("acme", "orders-batch", "8e2b7d94", "service-account-orders-batch",
                new Actor(null, "orders-batch", "acme", "10.20.30.40"), "client_credentials",
                List.of("profile", "email", "orders:read"), List.of("orders-api", "billing-api"), "onrtcc:3c8f",
                1_795_000_300L, "10.20.30.40", "0b6f1c52", "CLIENT_LOGIN", null,
                new Decision("9f6c", "batch-jobs", "within policy ✓", "shadow", "allow", "v12", "true",
                        List.of("rule-1", "rule-ü"), List.of("ip-check")), null, details, NhiFacts.of("alice", "2027-01-31T00:00:00Z", "nightly"));
        AccessData denied = new AccessData("acme", "c", null, null, new Actor(null, "c", "acme", null), "refresh_token",
                List.of(), null, null, null, null, null, "REFRESH_TOKEN_ERROR", "mintgate_denied",
                new Decision("d", "r", null, "enforce", "deny", null, null, null, List.of("r", "s,t")), null, null);
        AccessData admin = new AccessData("acme", "svc", null, null, new Actor("admin-1", null, "master", "::1"), null,
                null, null, null, null, "::1", null, "UPDATE", null, null,
                new AdminResource("CLIENT", "UPDATE", "clients/abc", "abc", true, false), Map.of(), null);
        CheckpointData checkpoint = new CheckpointData("node-a", 12, HashChain.GENESIS, 12, "ES256", null, "eyJ.a.b");
        return List.of(
                new AuditRecord("kc-0b6f", RecordType.TOKEN_ISSUED, "/realms/acme", "2026-11-23T05:00:20.123Z", "8e2b", full),
                new AuditRecord("kc-1", RecordType.TOKEN_DENIED, "/realms/acme", "2026-11-23T05:00:21Z", null, denied),
                new AuditRecord("kc-2", RecordType.NHI_CHANGED, "/realms/acme", "2026-11-23T05:00:22.5Z", "svc", admin),
                new AuditRecord("cp-1", RecordType.CHECKPOINT, "/mintgate/audit", "2026-11-23T05:00:23Z", null, checkpoint),
                TestRecords.issued("bench-client"),
                withDetails(Map.of("mintgatehash", "nested", "mintgateseq", "1")));
    }

    /**
     * Every inclusion edge of the annotations the encoder mirrors by hand: NON_EMPTY (AccessData, Decision) drops
     * null, "" and empty lists/maps but keeps 0L and non-null nested records even when they come out empty; NON_NULL
     * (Actor, AdminResource, NhiFacts) keeps "" and false; CheckpointData (no annotation) writes null members.
     */
    private static List<AuditRecord> inclusionEdges() {
        Map<String, String> trickyKeys = new LinkedHashMap<>();
        trickyKeys.put("mintgatehash", "nested hash");
        trickyKeys.put("a", "lower");
        trickyKeys.put("_", "underscore");
        trickyKeys.put("Z", "upper");
        trickyKeys.put("", "empty key");
        trickyKeys.put("a\u0000", "key with nul");
        trickyKeys.put("\uFF5A", "fullwidth z: after the rocket by UTF-16 unit, before it by code point");
        trickyKeys.put("\uD83D\uDE80", "rocket key");
        trickyKeys.put("é", "e acute");
        trickyKeys.put("ctl", "\u0001\u001f\u007f\u2028\u2029 \b\f\r\n\t \" \\ / </script> \uD83D\uDE80 \uDBFF lone");
        trickyKeys.put("empty", "");
        List<String> trickyList = List.of("", "a\u0001b", "tab\t", "quote\"", "back\\slash", "\u2028", "\u007f", "é",
                "東京", "\uD83D\uDE80", "lone \uDC00");

        AccessData emptyStrings = new AccessData("", "", "", "", new Actor(null, null, null, null), "", List.of(),
                List.of(), "", 0L, "", "", "", "", new Decision(null, null, null, null, null, null, null, null, null),
                new AdminResource(null, null, null, null, null, null), Map.of(), new NhiFacts(null, null, null));
        AccessData allNull = new AccessData(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
        AccessData nonNullEmpties = new AccessData("r", null, "s", "", new Actor("", "", "", ""), null, trickyList,
                List.of("one"), null, -1L, null, "", null, "e", new Decision("", "", "", "", "", "", "", List.of(), List.of()),
                new AdminResource("", "", "", "", false, true), trickyKeys, new NhiFacts("", null, "purpose"));
        AccessData extremes = new AccessData("r", "c", null, null, new Actor("u", null, null, null), null, List.of("x"),
                null, null, Long.MAX_VALUE, null, null, null, null,
                new Decision("id", null, "", null, "deny", null, "false", List.of("", "r\u0000"), List.of("")),
                new AdminResource("CLIENT", null, null, null, true, null), Map.of("Z", "", "z", "\u0000"),
                new NhiFacts(null, "2027-01-31T00:00:00Z", null));
        AccessData minimum = new AccessData(null, null, null, null, null, null, null, null, null, Long.MIN_VALUE, null,
                null, null, null, null, new AdminResource(null, null, null, null, false, false), null,
                new NhiFacts("owner", "", ""));
        return List.of(
                new AuditRecord("e-1", RecordType.TOKEN_ISSUED, "/realms/r", "2026-11-23T05:00:00Z", "", emptyStrings),
                new AuditRecord("e-2", RecordType.TOKEN_DENIED, "/realms/r", "2026-11-23T05:00:01Z", null, allNull),
                new AuditRecord("e-3 \u0001\"", RecordType.NHI_CHANGED, "/realms/ä", "t", "ü \uD83D\uDE80",
                        nonNullEmpties),
                new AuditRecord("e-4", RecordType.NHI_CHANGED, "/realms/r", "t", "s", extremes),
                new AuditRecord("e-5", RecordType.TOKEN_REVOKED, "/realms/r", "t", null, minimum),
                new AuditRecord("e-6", RecordType.TOKEN_ISSUED, "/realms/r", "t", "s", everything()),
                new AuditRecord("cp-0", RecordType.CHECKPOINT, "/mintgate/audit", "t", null,
                        new CheckpointData(null, 0, null, 0, null, null, null)),
                new AuditRecord("cp-2", RecordType.CHECKPOINT, "/mintgate/audit", "t", null,
                        new CheckpointData("", -1, "", Long.MAX_VALUE, "", "kid-1", null)),
                new AuditRecord("cp-3", RecordType.CHECKPOINT, "/mintgate/audit", "t", null,
                        new CheckpointData("ü \"", Long.MAX_VALUE, "h", 1, null, "", "")));
    }

    /** Every component of every record type set and non-empty; built with the canonical constructors on purpose. */
    private static AccessData everything() {
        return new AccessData("realm", "client", "subject", "user", new Actor("u", "c", "r", "ip"), "grant",
                List.of("s1", "s2"), List.of("a1"), "jti", 42L, "addr", "ev", "CLIENT_LOGIN", "err",
                new Decision("id", "rule", "reason", "mode", "allow", "v1", "true", List.of("d1"), List.of("e1")),
                new AdminResource("CLIENT", "UPDATE", "clients/x", "x", true, false), Map.of("k", "v"),
                new NhiFacts("owner", "2027-01-01T00:00:00Z", "purpose"));
    }

    private static AuditRecord withDetails(Map<String, String> details) {
        AccessData data = new AccessData("r", "c", null, null, null, null, null, null, null, null, null, null, "LOGIN",
                null, null, null, details);
        return new AuditRecord("id-" + details.size(), RecordType.TOKEN_ISSUED, "/realms/r", "2026-11-23T05:00:00Z",
                "c", data);
    }

    private static List<AuditRecord> concat(List<AuditRecord> a, List<AuditRecord> b) {
        List<AuditRecord> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> componentNames(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
