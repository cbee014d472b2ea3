package io.mintgate.audit.tool;

import com.nimbusds.jose.jwk.JWK;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.audit.AuditOptions;
import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.chain.CheckpointKeys;
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
        AuditOptions options = TestRecords.options(dir).withCheckpoints(10, 0, null);
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

    private int verify(List<String> content) throws Exception {
        Path file = dir.resolve("export-" + System.nanoTime() + ".jsonl");
        Files.write(file, content);
        return MintgateCli.run(new String[]{"verify", file.toString(), "--jwk", publicJwk.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void anUntouchedExportVerifiesWithAllCheckpointSignatures() throws Exception {
        // 35 records + 3 count checkpoints + 1 final checkpoint at close
        assertThat(lines).hasSize(39);
        assertThat(verify(lines)).isZero();
        assertThat(out.toString()).contains("39 records", "4 checkpoints", "4 signatures verified");
    }

    @Test
    void aDeletedRecordIsReportedAsMissingNamingTheRecordAfterTheGap() throws Exception {
        List<String> edited = new ArrayList<>(lines);
        edited.remove(4); // seq 5
        assertThat(verify(edited)).isEqualTo(1);
        String id6 = RecordJson.parse(lines.get(5).getBytes()).path("id").asText();
        assertThat(err.toString()).contains("seq 6", id6, "missing", "seq 5..5");
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
        assertThat(err.toString()).contains("seq 11", "bad signature");
    }

    @Test
    void aDuplicatedDeliveryIsToleratedBecauseShippingIsAtLeastOnce() throws Exception {
        List<String> edited = new ArrayList<>(lines);
        edited.add(3, lines.get(2));
        assertThat(verify(edited)).isZero();
        assertThat(out.toString()).contains("1 duplicate deliveries ignored");
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
