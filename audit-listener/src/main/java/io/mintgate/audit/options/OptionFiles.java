package io.mintgate.audit.options;

import io.mintgate.audit.chain.CheckpointKeys;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.Curve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** Checks of the files and directories options name: they exist, can be used, and hold what they should. */
public final class OptionFiles {
    private OptionFiles() {
    }

    /** A directory that exists and is writable, or can be created (its nearest existing parent is writable). */
    public static void directory(OptionValues o, String name, Path dir) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            o.problem(name, dir.toString(), "a directory; it is a file");
        } else if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            o.problem(name, dir.toString(), "a directory Keycloak can write to (or create); "
                    + (existing == null ? "no parent exists" : existing + " is not writable"));
        }
    }

    /** A file that can be written, or created in an existing or creatable directory. */
    public static void writableFile(OptionValues o, String name, Path file) {
        if (Files.isDirectory(file)) {
            o.problem(name, file.toString(), "a file; it is a directory");
        } else if (Files.exists(file) && !Files.isWritable(file)) {
            o.problem(name, file.toString(), "a file Keycloak can write to; it is read-only");
        } else if (file.toAbsolutePath().getParent() != null) {
            directory(o, name, file.toAbsolutePath().getParent());
        }
    }

    /** A JWK with a private EC P-256 or RSA key (the checkpoint signer's ES256 or RS256). */
    public static void signingKey(OptionValues o, String name, Path file) {
        if (!Files.isReadable(file)) {
            o.problem(name, file.toString(), "a readable JWK file with a private EC P-256 or RSA key; it "
                    + (Files.exists(file) ? "cannot be read" : "does not exist"));
            return;
        }
        try {
            JWK key = CheckpointKeys.read(file);
            boolean usable = key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve()) || key instanceof RSAKey;
            if (!usable) {
                o.problem(name, file.toString(), "a private EC P-256 or RSA JWK; it is " + key.getKeyType()
                        + (key instanceof ECKey ec ? " " + ec.getCurve() : ""));
            }
        } catch (IOException e) {
            // CheckpointKeys' messages name the file and the reason, never the key material.
            o.problem(name, file.toString(), "a JWK with a private EC P-256 or RSA key; "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /** A PKCS#12 (or JKS, by its .jks name) keystore that opens with its password; the password is never shown. */
    public static void keystore(OptionValues o, String name, Path file, String passwordName, String password) {
        if (file == null) {
            if (password != null) {
                o.secretProblem(passwordName, "only together with " + name);
            }
            return;
        }
        if (!Files.isReadable(file)) {
            o.problem(name, file.toString(), "a readable PKCS#12 or JKS keystore; it "
                    + (Files.exists(file) ? "cannot be read" : "does not exist"));
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            ks.load(in, password == null ? new char[0] : password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            o.problem(name, file.toString(), "a PKCS#12 or JKS keystore that opens with " + passwordName
                    + "; it does not (wrong password, or not a keystore)");
        }
    }
}
