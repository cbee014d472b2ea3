package io.mintgate.authorizer.keycloak;

import io.mintgate.authorizer.keycloak.services.TakenBudgetUnits;
import org.keycloak.Config;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * A global listener that gives back the issuance budget units of a request that ended in an error event (refused
 * by a later rule or executor, or failed in Keycloak after the budget was counted): only issued tokens count.
 */
public final class BudgetRefundListenerFactory implements EventListenerProviderFactory {

    public static final String PROVIDER_ID = "mintgate-budget-refund";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new EventListenerProvider() {
            @Override
            public void onEvent(Event event) {
                if (event.getError() != null) {
                    TakenBudgetUnits.giveBackOnThisThread(session);
                }
            }

            @Override
            public void onEvent(AdminEvent event, boolean includeRepresentation) {
            }

            @Override
            public void close() {
            }
        };
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
