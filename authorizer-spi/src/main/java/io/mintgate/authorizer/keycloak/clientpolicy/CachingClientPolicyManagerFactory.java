package io.mintgate.authorizer.keycloak.clientpolicy;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.clientpolicy.ClientPolicyManager;
import org.keycloak.services.clientpolicy.ClientPolicyManagerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes {@link CachingClientPolicyManager} Keycloak's client-policy manager: its {@link #order()} above zero wins
 * over Keycloak's {@code default} when no provider is configured. {@code --spi-client-policy-manager--provider=default}
 * (at build time) brings Keycloak's own back.
 */
public final class CachingClientPolicyManagerFactory implements ClientPolicyManagerFactory {

    public static final String PROVIDER_ID = "mintgate-cached";

    private static final Logger LOG = Logger.getLogger(CachingClientPolicyManagerFactory.class);

    private final PolicyCache cache = new PolicyCache();
    /** Said once, at first use, so an admin reading the log knows whose manager runs (a factory alone proves nothing). */
    private final AtomicBoolean announced = new AtomicBoolean();

    @Override
    public ClientPolicyManager create(KeycloakSession session) {
        if (announced.compareAndSet(false, true)) {
            LOG.infof("Client policies are run by Mintgate's client-policy manager (%s): each realm's client policies"
                    + " and profiles are parsed once per change instead of at every event;"
                    + " --spi-client-policy-manager--provider=default (kc.sh build) restores Keycloak's", PROVIDER_ID);
        }
        return new CachingClientPolicyManager(session, cache);
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

    @Override
    public int order() {
        return 1;
    }
}
