package io.mintgate.authorizer.keycloak.lifecycle;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.clientregistration.ClientRegistrationProvider;
import org.keycloak.services.clientregistration.ClientRegistrationProviderFactory;
import org.keycloak.services.clientregistration.oidc.OIDCClientRegistrationProviderFactory;

/**
 * Takes Keycloak's {@code openid-connect} registration provider id with an {@link #order()} above Keycloak's (0), so
 * that the endpoint is {@link OidcRegistrationProvider}: Keycloak's provider behind a reading of the body that
 * answers Mintgate attributes with RFC 7591's error.
 */
public final class OidcRegistrationProviderFactory implements ClientRegistrationProviderFactory {

    @Override
    public ClientRegistrationProvider create(KeycloakSession session) {
        return new OidcRegistrationProvider(session);
    }

    @Override
    public int order() {
        return 1;
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
        return OIDCClientRegistrationProviderFactory.ID;
    }
}
