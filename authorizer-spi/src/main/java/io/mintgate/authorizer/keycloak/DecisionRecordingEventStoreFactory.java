package io.mintgate.authorizer.keycloak;

import io.mintgate.authorizer.keycloak.handoff.DecisionRecordingEventStore;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.EventStoreProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderFactory;

/**
 * Makes {@link DecisionRecordingEventStore} Keycloak's event store: its {@link #order()} above zero wins over
 * Keycloak's {@code jpa} when no events-store provider is configured. {@code --spi-events-store--provider=jpa}
 * (at {@code kc.sh build}) brings Keycloak's back; stored events then lack the {@code mintgate_*} details, which
 * still reach the event listeners (Mintgate's audit among them).
 */
public final class DecisionRecordingEventStoreFactory implements EventStoreProviderFactory {

    public static final String PROVIDER_ID = "mintgate-jpa";

    private static final Logger LOG = Logger.getLogger(DecisionRecordingEventStoreFactory.class);

    @Override
    public EventStoreProvider create(KeycloakSession session) {
        return new DecisionRecordingEventStore(session, session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    @Override
    public void init(Config.Scope config) {
    }

    /** Says once whose store runs: an admin looking for the decision details in stored events needs to know. */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        ProviderFactory<EventStoreProvider> running = factory.getProviderFactory(EventStoreProvider.class);
        if (running == this) {
            LOG.infof("Keycloak's event store is Mintgate's '%s' (Keycloak's JPA store, plus the mintgate_* decision"
                    + " details in each stored event); --spi-events-store--provider=jpa (kc.sh build) restores"
                    + " Keycloak's", PROVIDER_ID);
        } else if (running != null) {
            LOG.infof("Keycloak's event store '%s' runs, not Mintgate's '%s': stored events (Realm settings → Events)"
                    + " carry no mintgate_* decision details; the event listeners, Mintgate's audit among them,"
                    + " still get them", running.getId(), PROVIDER_ID);
        }
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public int order() {
        return 1;
    }
}
