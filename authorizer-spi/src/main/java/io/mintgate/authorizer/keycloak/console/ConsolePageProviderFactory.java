package io.mintgate.authorizer.keycloak.console;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Serves Mintgate's console page under {@code /realms/{realm}/mintgate-console/}: static files only, never data. The
 * page signs the admin in against that realm (authorization code with PKCE, public client {@code mintgate-console})
 * and calls the admin REST API with the admin's own token, so Keycloak's admin roles decide what it may see and do.
 */
public final class ConsolePageProviderFactory implements RealmResourceProviderFactory {

    public static final String PROVIDER_ID = "mintgate-console";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new ConsolePage(session);
            }

            @Override
            public void close() {
            }
        };
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
