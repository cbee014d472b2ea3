package io.mintgate.audit.ship;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/** The TLS context of a sink: an optional client certificate, and whom to trust (else the JVM's default CAs). */
public final class TlsContext {
    private TlsContext() {
    }

    /**
     * @param keystore   PKCS#12 (or JKS by its .jks name) with the client key and certificate, or null
     * @param truststore PKCS#12/JKS of trusted certificates, or null
     * @param caFile     PEM file of trusted CA certificates, or null (used when {@code truststore} is null)
     */
    static SSLContext create(Path keystore, String keystorePassword, Path truststore, String truststorePassword,
                             Path caFile) {
        try {
            KeyManagerFactory kmf = null;
            if (keystore != null) {
                char[] pw = keystorePassword == null ? new char[0] : keystorePassword.toCharArray();
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(keystore, pw), pw);
            }
            KeyStore trusted = null;
            if (truststore != null) {
                trusted = load(truststore, truststorePassword == null ? new char[0] : truststorePassword.toCharArray());
            } else if (caFile != null) {
                trusted = pemCertificates(caFile);
            }
            TrustManagerFactory tmf = null;
            if (trusted != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot load the audit sink's keystore/truststore/CA file: "
                    + e.getMessage(), e);
        }
    }

    /** PKCS#12 or JKS, by the file name. */
    static KeyStore load(Path file, char[] password) throws GeneralSecurityException, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            ks.load(in, password);
            return ks;
        }
    }

    /** The certificates of a PEM file as an in-memory trust store; fails when the file holds none. */
    static KeyStore pemCertificates(Path caFile) throws GeneralSecurityException, IOException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(caFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException(caFile + " holds no PEM certificate");
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (Certificate cert : certs) {
            ks.setCertificateEntry("ca-" + i++, cert);
        }
        return ks;
    }

    /** For option checks: whether the PEM file holds at least one certificate. */
    public static boolean holdsCertificates(Path caFile) {
        try {
            pemCertificates(caFile);
            return true;
        } catch (GeneralSecurityException | IOException e) {
            return false;
        }
    }
}
