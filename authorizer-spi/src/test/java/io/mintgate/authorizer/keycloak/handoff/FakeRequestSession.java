package io.mintgate.authorizer.keycloak.handoff;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransaction;
import org.keycloak.models.KeycloakTransactionManager;

/** A request's session as far as the {@link RequestLedger} uses it: attributes and an open transaction. */
public final class FakeRequestSession {

    private final Map<String, Object> attributes = new HashMap<>();
    private final List<KeycloakTransaction> afterCompletion = new ArrayList<>();
    private boolean active = true;
    public final KeycloakSession session;

    public FakeRequestSession() {
        KeycloakTransactionManager transactions = (KeycloakTransactionManager) Proxy.newProxyInstance(
                KeycloakTransactionManager.class.getClassLoader(), new Class<?>[] {KeycloakTransactionManager.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "enlistAfterCompletion" -> afterCompletion.add((KeycloakTransaction) args[0]) ? null : null;
                    case "isActive" -> active;
                    default -> null;
                });
        session = (KeycloakSession) Proxy.newProxyInstance(KeycloakSession.class.getClassLoader(),
                new Class<?>[] {KeycloakSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getTransactionManager" -> transactions;
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "removeAttribute" -> attributes.remove((String) args[0]);
                    case "getAttributes" -> attributes;
                    default -> null;
                });
    }

    /** Ends the request's transaction: what Keycloak does when the request is done. */
    public void commit() {
        active = false;
        afterCompletion.forEach(KeycloakTransaction::commit);
        afterCompletion.clear();
    }

    public Map<String, Object> attributes() {
        return attributes;
    }
}
