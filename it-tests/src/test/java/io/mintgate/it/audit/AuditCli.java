package io.mintgate.it.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import io.mintgate.audit.chain.HashChain;
import io.mintgate.audit.record.RecordJson;
import io.mintgate.it.harness.DistributionKeycloak;

/**
 * {@code java -jar mintgate-keycloak.jar verify <file> --jwk <public key>} as an operator runs it: the bundle jar
 * installed in the server's providers directory, in a child JVM.
 */
final class AuditCli {

    record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + ", stdout: " + stdout.strip() + ", stderr: " + stderr.strip();
        }
    }

    private AuditCli() {
    }

    /** {@code verify <trail> --jwk <publicJwk> [options...]}, e.g. {@code "--allow-unsigned-tail", "50"}. */
    static Result verify(DistributionKeycloak server, Path trail, Path publicJwk, String... options) {
        List<String> args = new ArrayList<>(List.of("--jwk", publicJwk.toString()));
        args.addAll(List.of(options));
        return run(server, trail, args);
    }

    /** {@code verify <trail> --jwk <key 1> --jwk <key 2> ... [options...]}: each node signs with its own key. */
    static Result verify(DistributionKeycloak server, Path trail, List<Path> publicJwks, String... options) {
        List<String> args = new ArrayList<>();
        for (Path key : publicJwks) {
            args.addAll(List.of("--jwk", key.toString()));
        }
        args.addAll(List.of(options));
        return run(server, trail, args);
    }

    private static Result run(DistributionKeycloak server, Path trail, List<String> args) {
        Path jar = bundleJar(server);
        Path out = trail.resolveSibling(trail.getFileName() + ".out");
        Path err = trail.resolveSibling(trail.getFileName() + ".err");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString(), "verify", trail.toString()));
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("verify did not finish within 120 s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path bundleJar(DistributionKeycloak server) {
        String configured = System.getProperty("it.bundle.jar");
        return configured != null ? Path.of(configured) : server.home().resolve("providers/mintgate-keycloak.jar");
    }

    /**
     * The public half of the checkpoint key the listener generated in its spool directory
     * ({@code checkpoint-key.jwk}, private, mode 600), written to a file as an operator would keep it.
     */
    static Path publicJwk(DistributionKeycloak server, String spoolDir) {
        try {
            Path keyFile = server.home().resolve(spoolDir).resolve("checkpoint-key.jwk");
            JWK publicKey = JWK.parse(Files.readString(keyFile, StandardCharsets.UTF_8)).toPublicJWK();
            Path out = Files.createTempFile(workDir(), "checkpoint-public-", ".jwk");
            Files.writeString(out, publicKey.toJSONString(), StandardCharsets.UTF_8);
            return out;
        } catch (IOException | java.text.ParseException e) {
            throw new IllegalStateException("cannot read the generated checkpoint key", e);
        }
    }

    /** A copy of a file sink output without a last line the shipper may still be writing. */
    static Path copyWholeLines(Path trail) {
        try {
            String content = Files.readString(trail, StandardCharsets.UTF_8);
            int end = content.lastIndexOf('\n');
            Path copy = Files.createTempFile(workDir(), "audit-copy-", ".jsonl");
            Files.writeString(copy, end < 0 ? "" : content.substring(0, end + 1), StandardCharsets.UTF_8);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The lines with their seq renumbered from the first one and every prev/hash recomputed, the way a forger who
     * deleted or changed records would hide it (the chain then holds; only signed checkpoints can tell).
     */
    static List<String> rechained(List<String> lines) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<String> out = new ArrayList<>();
            JsonNode first = RecordJson.parse(lines.get(0).getBytes(StandardCharsets.UTF_8));
            long seq = first.path(RecordJson.EXT_SEQ).asLong();
            String prev = first.path(RecordJson.EXT_PREV).asText();
            for (String line : lines) {
                ObjectNode node = (ObjectNode) RecordJson.parse(line.getBytes(StandardCharsets.UTF_8));
                node.put(RecordJson.EXT_SEQ, seq++);
                node.put(RecordJson.EXT_PREV, prev);
                prev = HashChain.hashOf(sha, prev, RecordJson.canonicalWithoutHash(node));
                node.put(RecordJson.EXT_HASH, prev);
                out.add(new String(RecordJson.toBytes(node), StandardCharsets.UTF_8));
            }
            return out;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isCheckpoint(String line) {
        return line.contains("\"type\":\"io.mintgate.audit.checkpoint\"");
    }

    static Path write(List<String> lines) {
        try {
            Path file = Files.createTempFile(workDir(), "audit-tampered-", ".jsonl");
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path workDir() throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("it.work.dir", "target/it-work"), "verify"));
    }
}
