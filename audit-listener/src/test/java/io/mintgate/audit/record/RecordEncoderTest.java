package io.mintgate.audit.record;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.chain.HashChain;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        RecordEncoder encoder = new RecordEncoder();
        HashChain chain = new HashChain(0, HashChain.GENESIS);
        String prev = HashChain.GENESIS;
        long seq = 0;
        // Twice through, so the encoder's reused generators and buffers carry state from record to record.
        for (int round = 0; round < 2; round++) {
            for (AuditRecord record : records()) {
                seq++;
                ObjectNode tree = RecordJson.toTree(record);
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
                        List.of("rule-1", "rule-ü")), null, details, NhiFacts.of("alice", "2027-01-31T00:00:00Z", "nightly"));
        AccessData denied = new AccessData("acme", "c", null, null, new Actor(null, "c", "acme", null), "refresh_token",
                List.of(), null, null, null, null, null, "REFRESH_TOKEN_ERROR", "mintgate_denied",
                new Decision("d", "r", null, "enforce", "deny", null, null, null), null, null);
        AccessData admin = new AccessData("acme", "svc", null, null, new Actor("admin-1", null, "master", "::1"), null,
                null, null, null, null, "::1", null, "UPDATE", null, null,
                new AdminResource("CLIENT", "UPDATE", "clients/abc", "abc", true, false), Map.of(), null);
        CheckpointData checkpoint = new CheckpointData(12, HashChain.GENESIS, 12, "ES256", null, "eyJ.a.b");
        return List.of(
                new AuditRecord("kc-0b6f", RecordType.TOKEN_ISSUED, "/realms/acme", "2026-11-23T05:00:20.123Z", "8e2b", full),
                new AuditRecord("kc-1", RecordType.TOKEN_DENIED, "/realms/acme", "2026-11-23T05:00:21Z", null, denied),
                new AuditRecord("kc-2", RecordType.NHI_CHANGED, "/realms/acme", "2026-11-23T05:00:22.5Z", "svc", admin),
                new AuditRecord("cp-1", RecordType.CHECKPOINT, "/mintgate/audit", "2026-11-23T05:00:23Z", null, checkpoint),
                TestRecords.issued("bench-client"),
                withDetails(Map.of("mintgatehash", "nested", "mintgateseq", "1")));
    }

    private static AuditRecord withDetails(Map<String, String> details) {
        AccessData data = new AccessData("r", "c", null, null, null, null, null, null, null, null, null, null, "LOGIN",
                null, null, null, details);
        return new AuditRecord("id-" + details.size(), RecordType.TOKEN_ISSUED, "/realms/r", "2026-11-23T05:00:00Z",
                "c", data);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
