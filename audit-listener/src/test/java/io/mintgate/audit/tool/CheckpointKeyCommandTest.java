package io.mintgate.audit.tool;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import io.mintgate.audit.chain.CheckpointKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointKeyCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int cli(String... args) {
        return MintgateCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void newWritesAnOwnerOnlySigningKeyAndPrintsOnlyItsPublicHalf() throws Exception {
        Path file = dir.resolve("keys/checkpoint.jwk");

        assertThat(cli("checkpoint-key", "new", file.toString())).isZero();

        JWK stored = CheckpointKeys.read(file);
        assertThat(stored).isInstanceOf(ECKey.class);
        assertThat(stored.isPrivate()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        JWK printed = JWK.parse(out.toString(StandardCharsets.UTF_8).strip());
        assertThat(printed.isPrivate()).isFalse();
        assertThat(printed).isEqualTo(stored.toPublicJWK());
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("\"d\"");
    }

    @Test
    void newRefusesToOverwriteAnExistingKey() throws Exception {
        Path file = dir.resolve("checkpoint.jwk");
        Files.writeString(file, "keep me");

        assertThat(cli("checkpoint-key", "new", file.toString())).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refusing to overwrite");
        assertThat(Files.readString(file)).isEqualTo("keep me");
    }

    @Test
    void publicPrintsThePublicJwkOfAnExistingKey() throws Exception {
        Path file = dir.resolve("checkpoint.jwk");
        JWK key = CheckpointKeys.create(file);

        assertThat(cli("checkpoint-key", "public", file.toString())).isZero();

        assertThat(JWK.parse(out.toString(StandardCharsets.UTF_8).strip())).isEqualTo(key.toPublicJWK());
    }

    @Test
    void publicOfAPublicOnlyKeyIsAnErrorNamingTheFile() throws Exception {
        Path file = dir.resolve("public.jwk");
        Files.writeString(file, CheckpointKeys.generate().toPublicJWK().toJSONString());

        assertThat(cli("checkpoint-key", "public", file.toString())).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains(file.toString()).contains("no private part");
    }

    @Test
    void aWrongSubcommandPrintsTheUsage() {
        assertThat(cli("checkpoint-key", "rotate", "x")).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("checkpoint-key new <private.jwk>");
    }
}
