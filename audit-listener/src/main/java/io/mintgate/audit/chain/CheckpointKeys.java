package io.mintgate.audit.chain;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;

/** Loads the checkpoint signing JWK, or creates one once so a fresh install is tamper-evident out of the box. */
public final class CheckpointKeys {
    private static final Logger LOG = Logger.getLogger(CheckpointKeys.class);
    public static final String GENERATED_KEY_FILE = "checkpoint-key.jwk";

    private CheckpointKeys() {
    }

    /**
     * @param configured the {@code checkpoint-key} option (may be null)
     * @param spoolDir   where a generated key is kept when nothing is configured
     */
    public static JWK loadOrGenerate(Path configured, Path spoolDir) throws IOException {
        if (configured != null) {
            return read(configured);
        }
        Path generated = spoolDir.resolve(GENERATED_KEY_FILE);
        if (Files.exists(generated)) {
            return read(generated);
        }
        JWK key = generate();
        write(generated, key);
        LOG.infof("Mintgate audit generated checkpoint signing key %s; verify exports with this public JWK: %s",
                generated, key.toPublicJWK().toJSONString());
        return key;
    }

    public static JWK read(Path file) throws IOException {
        try {
            JWK key = JWK.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!key.isPrivate()) {
                throw new IOException("checkpoint key " + file + " has no private part; a signing key is needed");
            }
            return key;
        } catch (ParseException e) {
            throw new IOException("checkpoint key " + file + " is not a JWK: " + e.getMessage(), e);
        }
    }

    /** Creates a new signing key in {@code file}, which must not exist yet (owner-only from the start). */
    public static JWK create(Path file) throws IOException {
        JWK key = generate();
        write(file, key);
        return key;
    }

    public static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    /** Written owner-only from the start: the private key must never be world-readable, not even briefly. */
    private static void write(Path file, JWK key) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException raced) {
            throw raced;
        }
        Files.writeString(file, key.toJSONString(), StandardCharsets.UTF_8);
    }
}
