package io.mintgate.it.harness;

import java.util.List;

/**
 * The options every test server is built and started with. Build options are chosen once for the whole suite
 * (each change costs a ~50 s re-augmentation): every feature a grant-path test needs is on.
 */
public final class ServerOptions {

    private ServerOptions() {
    }

    /** Preview/experimental features the tests need beyond Keycloak's defaults. */
    public static final String FEATURES = String.join(",",
            "parameterized-scopes", "token-exchange-delegation", "spiffe", "kubernetes-service-accounts", "authzen",
            "oid4vc-vci", "resource-indicators", "identity-assertion-jwt",
            // OID4VCI pre-authorized code grant (experimental, its own feature) and the REST endpoint that creates
            // the credential offers carrying such codes.
            "oid4vc-vci-preauth-code", "oid4vc-vci-rest-credential-offer");

    public static final List<String> BUILD = List.of(
            "--db=dev-file",
            "--health-enabled=true",
            "--metrics-enabled=true",
            // Plain-file vault (${vault.key} in realm configuration, e.g. AuthZEN PDP secrets); its folder is a start option.
            "--vault=file",
            "--features=" + FEATURES);

    /**
     * {@link #BUILD} for another database vendor ({@code --db} is a build option): e.g. {@code postgres} for the
     * distribution the cluster tests (and {@code -Dit.db=postgres}) run.
     */
    public static List<String> buildFor(String db) {
        return BUILD.stream().map(o -> o.startsWith("--db=") ? "--db=" + db : o).toList();
    }

    public static final String ADMIN_CLIENT_ID = "mintgate-it-admin";
    /** A loopback-only test server's bootstrap credential; it never leaves this machine. */
    public static final String ADMIN_CLIENT_SECRET = "mintgate-it-admin-secret";

    /**
     * Port on which a CIBA test plays the authentication device: Keycloak's HTTP authentication channel posts each
     * backchannel authentication request there. A server-level option, so it is reserved before the server starts.
     */
    public static final int CIBA_CHANNEL_PORT = freePort();

    /** Start (run-time) options every test server gets. */
    public static List<String> startOptions() {
        return List.of(
                "--spi-events-listener--mintgate-audit--sinks=file",
                "--spi-events-listener--mintgate-audit--checkpoint-every-records=50",
                // Per-rule decision meters (off by default): ObservabilityIT counts them on the real server.
                "--spi-client-policy-executor--issuance-authorizer--metrics-per-rule=true",
                "--spi-ciba-auth-channel--ciba-http-auth-channel--http-authentication-channel-uri=http://127.0.0.1:"
                        + CIBA_CHANNEL_PORT + "/ciba");
    }

    /**
     * The plain-file vault's folder (distribution runtime): a secret {@code ${vault.key}} of realm {@code r} is the
     * file {@code r_key} there (underscores in either part doubled), read by Keycloak on every lookup.
     */
    public static java.nio.file.Path vaultDir(java.nio.file.Path workDir) {
        java.nio.file.Path dir = workDir.toAbsolutePath().resolve("vault");
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
