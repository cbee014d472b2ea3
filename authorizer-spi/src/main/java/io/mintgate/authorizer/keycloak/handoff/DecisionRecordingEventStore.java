package io.mintgate.authorizer.keycloak.handoff;

import jakarta.persistence.EntityManager;
import org.keycloak.events.Event;
import org.keycloak.events.jpa.JpaEventStoreProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Keycloak's JPA event store that first writes the request's pending decision into the event. Keycloak stores an
 * event (and turns its details into JSON) before any listener runs, so details added by a listener never reach
 * Realm settings → Events or {@code GET /admin/realms/{realm}/events}; added here, they do. Everything else
 * (admin events, queries, clearing, expiry) is Keycloak's own.
 *
 * <p>A subclass rather than a wrapper: Keycloak's {@code JpaEventStoreProviderFactory} casts the default event
 * store to {@link JpaEventStoreProvider} when its scheduled task clears expired admin events.
 */
public final class DecisionRecordingEventStore extends JpaEventStoreProvider {

    public DecisionRecordingEventStore(KeycloakSession session, EntityManager em) {
        super(session, em);
    }

    @Override
    public void onEvent(Event event) {
        PendingDecision.writeIntoFromThisThread(event); // a thread-local read when no request is open
        super.onEvent(event);
    }
}
