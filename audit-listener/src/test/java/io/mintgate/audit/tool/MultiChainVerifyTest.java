package io.mintgate.audit.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.audit.AuditOptions;
import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.chain.CheckpointKeys;
import io.mintgate.audit.chain.CheckpointSigner;
import io.mintgate.audit.chain.HashChain;
import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.record.RecordEncoder;
import io.mintgate.audit.record.RecordJson;
import io.mintgate.audit.record.RecordType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Several nodes' trails in one export: verified chain by chain, reported per chain. */
class MultiChainVerifyTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private List<String> nodeA;
    private List<String> nodeB;
    private Path keys;

    @BeforeEach
    void twoNodesWriteTheirTrails() throws Exception {
        nodeA = trail("node-a", 12);
        nodeB = trail("node-b", 9);
        keys = dir.resolve("keys.jwks");
        Files.writeString(keys, new JWKSet(List.of(publicKey("node-a"), publicKey("node-b"))).toString());
    }

    private List<String> trail(String chain, int records) throws Exception {
        Path spool = dir.resolve(chain);
        AuditOptions options = TestRecords.options(spool).toBuilder().checkpoints(5, 0, null).chainId(chain).build();
        try (AuditPipeline pipeline = AuditPipeline.start(options, new SimpleMeterRegistry())) {
            for (int i = 0; i < records; i++) {
                pipeline.append(TestRecords.issued(chain + "-c" + i));
            }
        }
        return Files.readAllLines(spool.resolve("audit.jsonl"));
    }

    private JWK publicKey(String chain) throws Exception {
        return JWK.parse(Files.readString(dir.resolve(chain).resolve(CheckpointKeys.GENERATED_KEY_FILE))).toPublicJWK();
    }

    /** A then B then A ..., as a merge by time of two files would look. */
    private List<String> interleaved() {
        List<String> merged = new ArrayList<>();
        for (int i = 0; i < Math.max(nodeA.size(), nodeB.size()); i++) {
            if (i < nodeA.size()) {
                merged.add(nodeA.get(i));
            }
            if (i < nodeB.size()) {
                merged.add(nodeB.get(i));
            }
        }
        return merged;
    }

    private int verify(List<String> lines, String... keyArgs) throws Exception {
        Path file = dir.resolve("export-" + System.nanoTime() + ".jsonl");
        Files.write(file, lines);
        List<String> args = new ArrayList<>(List.of("verify", file.toString()));
        args.addAll(List.of(keyArgs));
        int exit = MintgateCli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        System.out.printf("[verify] exit %d%n%s%s", exit, out, err);
        return exit;
    }

    @Test
    void anInterleavedExportOfTwoNodesVerifiesChainByChain() throws Exception {
        assertThat(verify(interleaved(), "--jwk", keys.toString())).isZero();
        assertThat(out.toString()).contains("OK ", "2 chains, " + (nodeA.size() + nodeB.size()) + " records",
                "chain node-a: OK: " + nodeA.size() + " records (seq 1.." + nodeA.size() + ")",
                "chain node-b: OK: " + nodeB.size() + " records (seq 1.." + nodeB.size() + ")", "unsigned tail: none");
    }

    @Test
    void eachNodesKeyMayAlsoBeGivenOnItsOwn() throws Exception {
        Path a = dir.resolve("a.jwk");
        Path b = dir.resolve("b.jwk");
        Files.writeString(a, publicKey("node-a").toJSONString());
        Files.writeString(b, publicKey("node-b").toJSONString());
        assertThat(verify(interleaved(), "--jwk", a.toString(), "--jwk", b.toString())).isZero();
    }

    @Test
    void aTamperedRecordFailsItsChainByNameAndTheOtherChainStillVerifies() throws Exception {
        List<String> merged = interleaved();
        int i = merged.indexOf(nodeB.get(2));
        merged.set(i, merged.get(i).replace("\"clientId\":\"node-b-c2\"", "\"clientId\":\"evil\""));
        assertThat(verify(merged, "--jwk", keys.toString())).isEqualTo(1);
        String id = RecordJson.parse(nodeB.get(2).getBytes()).path("id").asText();
        assertThat(err.toString()).contains("FAILED", "1 of 2 chains failed",
                "chain node-b: FAILED: record seq 3 id " + id + " is altered", "chain node-a: OK: ");
    }

    @Test
    void aCheckpointOfAChainWhoseKeyIsNotGivenIsABadSignature() throws Exception {
        Path a = dir.resolve("a.jwk");
        Files.writeString(a, publicKey("node-a").toJSONString());
        assertThat(verify(interleaved(), "--jwk", a.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("chain node-b: FAILED: record seq 6 ",
                "is bad signature: the checkpoint was signed with key id " + publicKey("node-b").getKeyID()
                        + ", which none of the given keys has", "chain node-a: OK");
    }

    @Test
    void aTrailWrittenBeforeChainIdsStillVerifiesAsOneChain() throws Exception {
        ECKey key = CheckpointKeys.generate();
        Path oldKey = dir.resolve("old.jwk");
        Files.writeString(oldKey, key.toPublicJWK().toJSONString());
        Writer old = new Writer(new RecordEncoder(), key, null);
        List<String> lines = old.write(7);
        lines.add(old.checkpoint());
        assertThat(verify(lines, "--jwk", oldKey.toString())).isZero();
        assertThat(out.toString()).contains("1 chain, 8 records",
                "chain (no chain id): OK: 8 records (seq 1..8), 1 checkpoint, 1 signature verified");
    }

    @Test
    void aSpoolUpgradedToChainIdsIsOneChainAcrossTheUpgrade() throws Exception {
        ECKey key = CheckpointKeys.generate();
        Path oldKey = dir.resolve("old.jwk");
        Files.writeString(oldKey, key.toPublicJWK().toJSONString());
        Writer old = new Writer(new RecordEncoder(), key, null);
        List<String> lines = old.write(4);
        lines.add(old.checkpoint());
        List<String> beforeUpgrade = List.copyOf(lines);
        Writer upgraded = new Writer(new RecordEncoder("node-a"), key, "node-a", old.chain);
        lines.addAll(upgraded.write(3));
        lines.add(upgraded.checkpoint());
        lines.addAll(1, trail("node-c", 2));
        Path cKey = dir.resolve("c.jwk");
        Files.writeString(cKey, publicKey("node-c").toJSONString());
        assertThat(verify(lines, "--jwk", oldKey.toString(), "--jwk", cKey.toString())).isZero();
        assertThat(out.toString()).contains("chain node-a: OK: 9 records (seq 1..9)",
                "the first 5 records from before chain ids", "chain node-c: OK");

        // The old part changed and re-chained no longer links to the new one, and its checkpoint gives it away.
        out.reset();
        List<String> forgedOldPart = new ArrayList<>(beforeUpgrade);
        forgedOldPart.set(2, forgedOldPart.get(2).replace("\"clientId\":\"c2\"", "\"clientId\":\"evil\""));
        List<String> tampered = new ArrayList<>(VerifyCommandTest.rechained(forgedOldPart));
        tampered.addAll(lines.subList(beforeUpgrade.size() + 3, lines.size()));
        assertThat(verify(tampered, "--jwk", oldKey.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("chain (no chain id): FAILED: record seq 4 ", "is altered: the checkpoint at "
                + "seq 5 signed hash", "chain node-a: OK: 4 records (seq 6..9)");
    }

    /** Chains records the way a spool does, without one: for trails as older versions wrote them. */
    private static final class Writer {
        private final RecordEncoder encoder;
        private final CheckpointSigner signer;
        private final String chainId;
        private final HashChain chain;
        private long sinceCheckpoint;

        Writer(RecordEncoder encoder, ECKey key, String chainId) {
            this(encoder, key, chainId, new HashChain(0, HashChain.GENESIS));
        }

        Writer(RecordEncoder encoder, ECKey key, String chainId, HashChain chain) {
            this.encoder = encoder;
            this.signer = new CheckpointSigner(key);
            this.chainId = chainId;
            this.chain = chain;
        }

        List<String> write(int records) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < records; i++) {
                lines.add(seal(TestRecords.issued("c" + i)));
                sinceCheckpoint++;
            }
            return lines;
        }

        String checkpoint() {
            AuditRecord record = new AuditRecord(UUID.randomUUID().toString(), RecordType.CHECKPOINT, "/mintgate/audit",
                    Instant.now().toString(), null, signer.sign(chainId, chain.seq(), chain.lastHash(), sinceCheckpoint));
            sinceCheckpoint = 0;
            return seal(record);
        }

        private String seal(AuditRecord record) {
            chain.seal(record, encoder);
            return new String(encoder.payloadBytes().copy(), StandardCharsets.UTF_8);
        }
    }
}
