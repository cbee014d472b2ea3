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
            "oid4vc-vci", "resource-indicators", "identity-assertion-jwt");

    public static final List<String> BUILD = List.of(
            "--db=dev-file",
            "--health-enabled=true",
            "--metrics-enabled=true",
            "--features=" + FEATURES);

    public static final String ADMIN_CLIENT_ID = "mintgate-it-admin";
    /** A loopback-only test server's bootstrap credential; it never leaves this machine. */
    public static final String ADMIN_CLIENT_SECRET = "mintgate-it-admin-secret";

    /** Server options for the audit listener in tests: file sink only, small checkpoints, in the server home. */
    public static List<String> auditOptions() {
        return List.of(
                "--spi-events-listener--mintgate-audit--sinks=file",
                "--spi-events-listener--mintgate-audit--checkpoint-every-records=50");
    }
}
