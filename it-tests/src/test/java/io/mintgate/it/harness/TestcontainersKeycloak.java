package io.mintgate.it.harness;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dasniko.testcontainers.keycloak.KeycloakContainer;

/**
 * Opt-in runtime for machines with a Docker engine ({@code -Dit.keycloak.runtime=testcontainers}): the official
 * 26.7.3 image with the same bundle jar in {@code providers/}, the same features and the same start options.
 * CI uses the distribution runtime, because the CI machines have no Docker engine.
 */
final class TestcontainersKeycloak implements KeycloakRuntime {

    private static final String HOME = "/opt/keycloak/";

    private final KeycloakContainer container;

    private TestcontainersKeycloak(KeycloakContainer container) {
        this.container = container;
    }

    static KeycloakRuntime start(Path bundleJar, List<String> startOptions) {
        KeycloakContainer container = new KeycloakContainer("quay.io/keycloak/keycloak:"
                + System.getProperty("it.keycloak.version", "26.7.3"))
                .withProviderLibsFrom(List.of(bundleJar.toFile()))
                .withFeaturesEnabled(ServerOptions.FEATURES.split(","))
                .withEnabledMetrics()
                .withEnv("KC_BOOTSTRAP_ADMIN_CLIENT_ID", ServerOptions.ADMIN_CLIENT_ID)
                .withEnv("KC_BOOTSTRAP_ADMIN_CLIENT_SECRET", ServerOptions.ADMIN_CLIENT_SECRET)
                .withCustomCommand(String.join(" ", startOptions));
        container.start();
        return new TestcontainersKeycloak(container);
    }

    @Override
    public URI baseUri() {
        return URI.create(container.getAuthServerUrl().replaceAll("/$", ""));
    }

    @Override
    public URI managementUri() {
        return URI.create(container.getMgmtServerUrl().replaceAll("/$", ""));
    }

    @Override
    public String adminClientId() {
        return ServerOptions.ADMIN_CLIENT_ID;
    }

    @Override
    public String adminClientSecret() {
        return ServerOptions.ADMIN_CLIENT_SECRET;
    }

    @Override
    public Optional<String> readServerFile(String relativePath) {
        try {
            return Optional.of(container.copyFileFromContainer(HOME + relativePath,
                    in -> new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
        } catch (RuntimeException notThere) {
            return Optional.empty();
        }
    }

    @Override
    public String log() {
        return container.getLogs();
    }

    @Override
    public void close() {
        container.stop();
    }
}
