package io.mintgate.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * SHA-256 over the provider jars and the build options: when it matches what the last {@code kc.sh build} saw,
 * the ~50 s re-augmentation is skipped. The bundle is built reproducibly, so an unchanged bundle keeps its hash.
 */
final class BuildFingerprint {

    private BuildFingerprint() {
    }

    static String of(Path providersDir, List<String> buildOptions) {
        MessageDigest digest = sha256();
        digest.update(String.join("\n", buildOptions).getBytes(StandardCharsets.UTF_8));
        try (Stream<Path> jars = Files.list(providersDir)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                digest.update(jar.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(jar)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
