package io.mintgate.authorizer.keycloak;

import io.mintgate.authorizer.keycloak.handoff.DecisionRecordingEventStore;
import io.mintgate.authorizer.keycloak.handoff.PendingDecision;
import org.keycloak.Config;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * A global listener that writes the pending decision into the Keycloak event being sent, for the event listeners
 * (Mintgate's audit among them) when the event store did not already: the realm's event store is off, the event's
 * type is not stored, or Keycloak's own store runs instead of {@link DecisionRecordingEventStore}. Keycloak hands
 * the same Event object to every listener, and Mintgate's audit listener reads details only after the transaction
 * completes, so the order of listeners does not matter.
 */
public final class DecisionDetailsListenerFactory implements EventListenerProviderFactory {

    public static final String PROVIDER_ID = "mintgate-decision-details";

    private static final EventListenerProvider LISTENER = new EventListenerProvider() {
        @Override
        public void onEvent(Event event) {
            PendingDecision.writeIntoFromThisThread(event);
        }

        @Override
        public void onEvent(AdminEvent event, boolean includeRepresentation) {
        }

        @Override
        public void close() {
        }
    };

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return LISTENER;
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
