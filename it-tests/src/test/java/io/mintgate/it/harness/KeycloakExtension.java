package io.mintgate.it.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One Keycloak per test JVM, kept in JUnit's root store so it is closed (process tree stopped) when the run ends.
 * Test methods and lifecycle methods ask for a {@link KeycloakRuntime} or an {@link AdminApi} as a parameter.
 */
public final class KeycloakExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeycloakExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KeycloakRuntime.class || type == AdminApi.class || type == AuditSinks.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        KeycloakRuntime runtime = runtime(context);
        if (parameter.getParameter().getType() == AuditSinks.class) {
            AuditSinks sinks = context.getRoot().getStore(NAMESPACE).get(AuditSinks.class, AuditSinks.class);
            if (sinks == null) {
                throw new ParameterResolutionException("the audit sinks run with the distribution runtime only");
            }
            return sinks;
        }
        if (parameter.getParameter().getType() == AdminApi.class) {
            return context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(AdminApi.class, k -> new AdminApi(runtime), AdminApi.class);
        }
        return runtime;
    }

    static KeycloakRuntime runtime(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(KeycloakRuntime.class, k -> startConfigured(context), KeycloakRuntime.class);
    }

    private static KeycloakRuntime startConfigured(ExtensionContext context) {
        String kind = System.getProperty("it.keycloak.runtime", "distribution");
        List<String> startOptions = new ArrayList<>(ServerOptions.startOptions());
        return switch (kind) {
            case "distribution" -> {
                Path workDir = Path.of(System.getProperty("it.work.dir", "target/it-work"));
                startOptions.add("--vault-dir=" + ServerOptions.vaultDir(workDir));
                // The sinks' addresses are server options, so they run before the server (and close after it:
                // the root store closes its values in reverse order).
                AuditSinks sinks = context.getRoot().getStore(NAMESPACE)
                        .getOrComputeIfAbsent(AuditSinks.class, k -> AuditSinks.start(workDir), AuditSinks.class);
                Path home = Path.of(required("it.keycloak.home"));
                List<String> build = ServerOptions.BUILD;
                // Opt-in (-Dit.db=postgres): the suite's server on a real PostgreSQL, from the --db=postgres copy of
                // the distribution the cluster tests use. The database starts before the server and closes after it.
                String db = System.getProperty("it.db", "");
                if (db.equals("postgres")) {
                    PostgresServer postgres = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(PostgresServer.class,
                            k -> PostgresServer.start(workDir.resolve("postgres-suite")), PostgresServer.class);
                    startOptions.addAll(postgres.keycloakOptions());
                    home = postgresDistribution(home, workDir);
                    build = ServerOptions.buildFor("postgres");
                } else if (!db.isEmpty() && !db.equals("dev-file")) {
                    throw new IllegalArgumentException("it.db must be dev-file (default) or postgres, was " + db);
                }
                // Keycloak refuses an option given twice: the sinks' settings replace the file-only default.
                yield new DistributionKeycloak(home, workDir, DistributionKeycloak.merge(startOptions, sinks.serverOptions()),
                        build).start();
            }
            case "testcontainers" -> TestcontainersKeycloak.start(Path.of(required("it.bundle.jar")), startOptions);
            default -> throw new IllegalArgumentException("it.keycloak.runtime must be distribution or testcontainers, was " + kind);
        };
    }

    private static Path postgresDistribution(Path home, Path workDir) {
        try {
            return KeycloakCluster.postgresDistribution(home, workDir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run the tests through ./mvnw verify");
        }
        return value;
    }
}
