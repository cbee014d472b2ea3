package io.mintgate.audit.tool;

import com.nimbusds.jose.jwk.JWK;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.audit.AuditOptions;
import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.TestRecords;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.audit.chain.CheckpointKeys;
import io.mintgate.audit.chain.HashChain;
import io.mintgate.audit.record.RecordJson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VerifyCommandTest {
    @TempDir
    Path dir;
    private Path export;
    private Path publicJwk;
    private List<String> lines;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void writeATrailWithCheckpoints() throws Exception {
        AuditOptions options = TestRecords.options(dir).toBuilder().checkpoints(10, 0, null).build();
        try (AuditPipeline pipeline = AuditPipeline.start(options, new SimpleMeterRegistry())) {
            for (int i = 0; i < 35; i++) {
                pipeline.append(TestRecords.issued("c" + i));
            }
        }
        export = dir.resolve("audit.jsonl");
        lines = Files.readAllLines(export);
        Path keyFile = dir.resolve(CheckpointKeys.GENERATED_KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        publicJwk = dir.resolve("public.jwk");
        Files.writeString(publicJwk, JWK.parse(Files.readString(keyFile)).toPublicJWK().toJSONString());
    }

    private int verify(List<String> content, String... moreArgs) throws Exception {
        return verifyAt(Clock.systemUTC(), content, moreArgs);
    }

    private int verifyAt(Clock clock, List<String> content, String... moreArgs) throws Exception {
        Path file = dir.resolve("export-" + System.nanoTime() + ".jsonl");
        Files.write(file, content);
        List<String> args = new ArrayList<>(List.of("verify", file.toString(), "--jwk", publicJwk.toString()));
        args.addAll(List.of(moreArgs));
        int exit = MintgateCli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), clock);
        System.out.printf("[verify] exit %d%n%s%s", exit, out, err);
        return exit;
    }

    private int verifyWithoutKey(List<String> content) throws Exception {
        Path file = dir.resolve("export-" + System.nanoTime() + ".jsonl");
        Files.write(file, content);
        return MintgateCli.run(new String[]{"verify", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The lines with seq renumbered from the first one and every prev/hash recomputed: what a forger can do. */
    static List<String> rechained(List<String> lines) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        List<String> out = new ArrayList<>();
        long seq = RecordJson.parse(lines.get(0).getBytes(StandardCharsets.UTF_8)).path("mintgateseq").asLong();
        String prev = RecordJson.parse(lines.get(0).getBytes(StandardCharsets.UTF_8)).path("mintgateprev").asText();
        for (String line : lines) {
            ObjectNode node = (ObjectNode) RecordJson.parse(line.getBytes(StandardCharsets.UTF_8));
            node.put("mintgateseq", seq++);
            node.put("mintgateprev", prev);
            prev = HashChain.hashOf(sha, prev, RecordJson.canonicalWithoutHash(node));
            node.put("mintgatehash", prev);
            out.add(new String(RecordJson.toBytes(node), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static boolean isCheckpoint(String line) {
        return line.contains("\"type\":\"io.mintgate.audit.checkpoint\"");
    }

    @Test
    void anUntouchedExportVerifiesWithAllCheckpointSignatures() throws Exception {
        // 35 records + 3 count checkpoints + 1 final checkpoint at close
        assertThat(lines).hasSize(39);
        assertThat(verify(lines)).isZero();
        assertThat(out.toString()).contains("1 chain, 39 records", "4 checkpoints", "4 signatures verified",
                "(seq 1..39)", "unsigned tail: none");
    }

    @Test
    void aDeletedRecordIsReportedAsMissingNamingTheRecordAfterTheGap() throws Exception {
        List<String> edited = new ArrayList<>(lines);
        edited.remove(4); // seq 5
        assertThat(verify(edited)).isEqualTo(1);
        String id6 = RecordJson.parse(lines.get(5).getBytes()).path("id").asText();
        assertThat(err.toString()).contains("record seq 6 id " + id6 + " is missing: record seq 5 is missing before this one");
    }

    @Test
    void anAlteredRecordIsReportedAsAlteredNamingIt() throws Exception {
        List<String> edited = new ArrayList<>(lines);
        edited.set(7, lines.get(7).replace("\"clientId\":\"c7\"", "\"clientId\":\"evil\""));
        assertThat(edited.get(7)).contains("evil");
        assertThat(verify(edited)).isEqualTo(1);
        String id8 = RecordJson.parse(lines.get(7).getBytes()).path("id").asText();
        assertThat(err.toString()).contains("seq 8", id8, "altered");
    }

    @Test
    void swappedRecordsAreReportedAsReordered() throws Exception {
        List<String> edited = new ArrayList<>(lines);
        Collections.swap(edited, 2, 3); // seq 3 and 4
        assertThat(verify(edited)).isEqualTo(1);
        assertThat(err.toString()).contains("seq 4", "reordered");
    }

    @Test
    void aCheckpointSignedByAnotherKeyFails() throws Exception {
        Files.writeString(publicJwk, CheckpointKeys.generate().toPublicJWK().toJSONString());
        assertThat(verify(lines)).isEqualTo(1);
        assertThat(err.toString()).contains("record seq 11", "is bad signature", "which none of the given keys has");
    }

    @Test
    void aTrailStrippedOfItsCheckpointsAndReChainedFailsWithTheKey() throws Exception {
        List<String> stripped = new ArrayList<>(lines.stream().filter(l -> !isCheckpoint(l)).toList());
        stripped.remove(4); // and a record deleted, the chain recomputed over the rest
        List<String> forged = rechained(stripped);
        assertThat(verify(forged)).isEqualTo(1);
        assertThat(err.toString()).contains("FAILED", "is unsigned: records seq 1..34 (34 records), all of the chain in "
                + "this export, which holds no checkpoint of it, are covered by no signed checkpoint");

        // Without the key the chain is intact; the report still shows that nothing vouches for it.
        out.reset();
        assertThat(verifyWithoutKey(forged)).isZero();
        assertThat(out.toString()).contains("0 checkpoints", "NOT checked",
                "unsigned tail: 34 records (seq 1..34, oldest ");
    }

    @Test
    void aTrailWithItsNewestRecordsCutOffFailsNamingTheUnsignedRange() throws Exception {
        List<String> truncated = lines.subList(0, lines.size() - 3); // the final checkpoint and seq 37, 38
        assertThat(verify(truncated)).isEqualTo(1);
        String id34 = RecordJson.parse(lines.get(33).getBytes()).path("id").asText();
        assertThat(err.toString()).contains("record seq 34 id " + id34 + " is unsigned: records seq 34..36 (3 records), "
                + "the newest of the chain, after its last checkpoint (seq 33), are covered by no signed checkpoint");
    }

    @Test
    void anUnsignedTailWithinTheAllowedRecordsPassesAndIsReported() throws Exception {
        List<String> live = lines.subList(0, lines.size() - 1); // as a live trail: the final checkpoint not yet there
        assertThat(verify(live, "--allow-unsigned-tail", "5")).isZero();
        assertThat(out.toString()).contains("unsigned tail: 5 records (seq 34..38, oldest ",
                "allowed by --allow-unsigned-tail 5 records");

        assertThat(verify(live, "--allow-unsigned-tail", "4")).isEqualTo(1);
        assertThat(err.toString()).contains("records seq 34..38 (5 records), the newest",
                "more than --allow-unsigned-tail 4 records allows");
    }

    @Test
    void anUnsignedTailYoungerThanTheAllowedAgePassesAndAnOlderOneFails() throws Exception {
        List<String> live = lines.subList(0, lines.size() - 1);
        assertThat(verify(live, "--allow-unsigned-tail", "60s")).isZero();
        assertThat(out.toString()).contains("unsigned tail: 5 records", "allowed by --allow-unsigned-tail 60s");

        Clock twoMinutesLater = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2));
        assertThat(verifyAt(twoMinutesLater, live, "--allow-unsigned-tail", "60s")).isEqualTo(1);
        assertThat(err.toString()).contains("is unsigned", "more than --allow-unsigned-tail 60s allows");
    }

    @Test
    void theAllowanceNeedsTheKeyAndAReadableValue() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(MintgateCli.run(new String[]{"verify", file.toString(), "--allow-unsigned-tail", "5"}, o, e)).isEqualTo(2);
        assertThat(MintgateCli.run(new String[]{"verify", file.toString(), "--jwk", publicJwk.toString(),
                "--allow-unsigned-tail", "5 minutes"}, o, e)).isEqualTo(2);
        assertThat(err.toString()).contains("needs --jwk", "neither a number of records");
    }

    @Test
    void aRecordChangedAndReChainedIsAChangedHashNotABadSignature() throws Exception {
        List<String> edited = new ArrayList<>(lines);
        edited.set(4, lines.get(4).replace("\"clientId\":\"c4\"", "\"clientId\":\"evil\""));
        assertThat(verify(rechained(edited))).isEqualTo(1);
        String id10 = RecordJson.parse(lines.get(9).getBytes()).path("id").asText();
        assertThat(err.toString()).contains("record seq 10 id " + id10 + " is altered: the checkpoint at seq 11 signed hash ",
                "for this record, but it now hashes to ", "this record or one before it was changed and the chain recomputed")
                .doesNotContain("bad signature");
    }

    @Test
    void aRecordDeletedAndReChainedUnderItsCheckpointsIsAltered() throws Exception {
        List<String> edited = new ArrayList<>(lines);
        edited.remove(4);
        assertThat(verify(rechained(edited))).isEqualTo(1);
        assertThat(err.toString()).contains("record seq 10 ", "is altered: the checkpoint signed seq 10 as the record "
                + "before it, but that is seq 9: records were removed or inserted and the chain recomputed");
    }

    @Test
    void aForgedCheckpointSignatureIsABadSignature() throws Exception {
        List<String> edited = new ArrayList<>(lines);
        ObjectNode checkpoint = (ObjectNode) RecordJson.parse(lines.get(10).getBytes());
        String jws = checkpoint.at("/data/jws").asText();
        String sig = jws.substring(jws.lastIndexOf('.') + 1);
        String otherSig = (sig.charAt(0) == 'A' ? 'B' : 'A') + sig.substring(1);
        ((ObjectNode) checkpoint.get("data")).put("jws", jws.substring(0, jws.lastIndexOf('.') + 1) + otherSig);
        edited.set(10, new String(RecordJson.toBytes(checkpoint), StandardCharsets.UTF_8));
        assertThat(verify(rechained(edited))).isEqualTo(1);
        assertThat(err.toString()).contains("record seq 11 ", "is bad signature: the checkpoint's signature does not "
                + "verify with the given key for key id ").doesNotContain("altered");
    }

    @Test
    void anEmptyExportFails() throws Exception {
        assertThat(verify(List.of())).isEqualTo(1);
        assertThat(err.toString()).contains("FAILED", "holds no records");
    }

    @Test
    void aDuplicatedDeliveryIsToleratedBecauseShippingIsAtLeastOnce() throws Exception {
        List<String> edited = new ArrayList<>(lines);
        edited.add(3, lines.get(2));
        assertThat(verify(edited)).isZero();
        assertThat(out.toString()).contains("1 duplicate delivery ignored");
    }

    @Test
    void aJsonArrayExportAsPostedToHttpVerifiesToo() throws Exception {
        Path file = dir.resolve("batch.json");
        Files.writeString(file, "[" + String.join(",", lines) + "]");
        int code = MintgateCli.run(new String[]{"verify", file.toString(), "--jwk", publicJwk.toString()},
                new PrintStream(out, true), new PrintStream(err, true));
        assertThat(code).isZero();
    }
}
