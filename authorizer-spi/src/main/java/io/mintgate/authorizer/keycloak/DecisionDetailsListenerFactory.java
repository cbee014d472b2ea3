package io.mintgate.authorizer.keycloak;

import java.util.HashMap;
import java.util.Map;

import org.keycloak.Config;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * A global listener that writes the pending decision into the Keycloak event being sent. Keycloak hands the same
 * Event object to every listener, and Mintgate's audit listener reads details only after the transaction completes,
 * so the order of listeners does not matter.
 */
public final class DecisionDetailsListenerFactory implements EventListenerProviderFactory {

    public static final String PROVIDER_ID = "mintgate-decision-details";

    private static final int MINTGATE_ENTRIES = 12;

    private static final EventListenerProvider LISTENER = new EventListenerProvider() {
        @Override
        public void onEvent(Event event) {
            if (PendingDecision.isEmpty()) {
                return;
            }
            Map<String, String> existing = event.getDetails();
            // Sized for both up front (a decision, its identity facts and a removal are at most MINTGATE_ENTRIES
            // entries): copying Keycloak's details and then adding ours used to resize the table.
            int entries = MINTGATE_ENTRIES + (existing == null ? 0 : existing.size());
            Map<String, String> details = new HashMap<>((int) (entries / 0.75f) + 1);
            if (existing != null) {
                details.putAll(existing);
            }
            PendingDecision.writeTo(details);
            event.setDetails(details);
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
