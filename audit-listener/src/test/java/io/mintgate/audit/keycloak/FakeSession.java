package io.mintgate.audit.keycloak;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransaction;
import org.keycloak.models.KeycloakTransactionManager;
import org.keycloak.tracing.NoopTracingProvider;
import org.keycloak.tracing.TracingProvider;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * What the listener touches in a Keycloak session: the transaction manager (after-completion enlistment) and the
 * tracing provider (Keycloak's no-op one, as with tracing off), nothing else. Lets tests play Keycloak's commit and rollback without a server.
 */
final class FakeSession {
    private static final TracingProvider NOOP_TRACING = new NoopTracingProvider();

    final List<KeycloakTransaction> afterCompletion = new ArrayList<>();
    boolean active = true;

    KeycloakSession session() {
        KeycloakTransactionManager tm = (KeycloakTransactionManager) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[]{KeycloakTransactionManager.class}, (p, m, a) -> switch (m.getName()) {
                    case "enlistAfterCompletion" -> {
                        KeycloakTransaction tx = (KeycloakTransaction) a[0];
                        tx.begin();
                        afterCompletion.add(tx);
                        yield null;
                    }
                    case "isActive" -> active;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (KeycloakSession) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{KeycloakSession.class}, (p, m, a) -> switch (m.getName()) {
                    case "getTransactionManager" -> tm;
                    // Keycloak with tracing off (the default) hands out its no-op provider.
                    case "getProvider" -> a.length == 1 && a[0] == TracingProvider.class ? NOOP_TRACING : unsupported(m.getName());
                    case "hashCode" -> System.identityHashCode(p);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static Object unsupported(String method) {
        throw new UnsupportedOperationException(method);
    }

    /** What Keycloak's transaction manager does after the database commit succeeded. */
    void commit() {
        afterCompletion.forEach(KeycloakTransaction::commit);
        afterCompletion.clear();
    }

    void rollback() {
        afterCompletion.forEach(KeycloakTransaction::rollback);
        afterCompletion.clear();
    }
}
