package io.mintgate.audit.keycloak;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransaction;
import org.keycloak.models.KeycloakTransactionManager;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * The two things the listener touches in a Keycloak session: the transaction manager (after-completion enlistment)
 * and nothing else. Lets tests play Keycloak's commit and rollback without a server.
 */
final class FakeSession {
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
                    case "hashCode" -> System.identityHashCode(p);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
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
