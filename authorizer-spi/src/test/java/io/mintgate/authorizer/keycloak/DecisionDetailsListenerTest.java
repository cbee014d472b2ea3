package io.mintgate.authorizer.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransactionManager;

class DecisionDetailsListenerTest {

    private final EventListenerProvider listener = new DecisionDetailsListenerFactory().create(null);

    @AfterEach
    void clear() {
        PendingDecision.clear();
    }

    @Test
    void thePendingDecisionJoinsKeycloaksDetailsWithoutChangingKeycloaksMap() {
        PendingDecision.record(session(), Map.of(DecisionDetails.DECISION_ID, "d-1", DecisionDetails.OUTCOME, "allow"));
        Map<String, String> keycloaks = new HashMap<>(Map.of("grant_type", "client_credentials", "scope", "read"));
        Event event = new Event();
        event.setDetails(keycloaks);

        listener.onEvent(event);

        assertThat(event.getDetails()).containsExactlyInAnyOrderEntriesOf(Map.of("grant_type", "client_credentials",
                "scope", "read", DecisionDetails.DECISION_ID, "d-1", DecisionDetails.OUTCOME, "allow"));
        assertThat(keycloaks).hasSize(2);
    }

    @Test
    void anEventWithoutDetailsGetsTheDecisionAlone() {
        PendingDecision.record(session(), Map.of(DecisionDetails.DECISION_ID, "d-2"));
        Event event = new Event();

        listener.onEvent(event);

        assertThat(event.getDetails()).containsExactlyEntriesOf(Map.of(DecisionDetails.DECISION_ID, "d-2"));
    }

    @Test
    void withoutAPendingDecisionTheEventIsLeftAlone() {
        Map<String, String> keycloaks = new HashMap<>(Map.of("grant_type", "password"));
        Event event = new Event();
        event.setDetails(keycloaks);

        listener.onEvent(event);

        assertThat(event.getDetails()).isSameAs(keycloaks).hasSize(1);
    }

    /** A session whose transaction manager takes the after-completion hook that clears the pending decision. */
    private static KeycloakSession session() {
        KeycloakTransactionManager transactions = (KeycloakTransactionManager) Proxy.newProxyInstance(
                KeycloakTransactionManager.class.getClassLoader(), new Class<?>[] {KeycloakTransactionManager.class},
                (proxy, method, args) -> null);
        return (KeycloakSession) Proxy.newProxyInstance(KeycloakSession.class.getClassLoader(),
                new Class<?>[] {KeycloakSession.class},
                (proxy, method, args) -> "getTransactionManager".equals(method.getName()) ? transactions : null);
    }
}
