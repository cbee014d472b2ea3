package io.mintgate.it.harness;

import java.net.URI;
import java.util.Optional;

/**
 * One running Keycloak server with the Mintgate bundle installed, as the tests see it. The distribution runtime
 * (default) and the Testcontainers runtime (opt-in, needs Docker) both implement it, so tests do not care which.
 */
public interface KeycloakRuntime extends AutoCloseable {

    /** Base URL of the HTTP listener, e.g. {@code http://127.0.0.1:41234}. */
    URI baseUri();

    /** Base URL of the management interface (health, metrics). */
    URI managementUri();

    /** The bootstrap admin service client in the master realm (client credentials grant). */
    String adminClientId();

    String adminClientSecret();

    /** A file the server wrote, read from its home directory (relative path), if it exists. */
    Optional<String> readServerFile(String relativePath);

    /** Everything the server has logged so far. */
    String log();

    @Override
    void close();
}
