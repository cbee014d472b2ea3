package io.mintgate.authorizer.keycloak;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.mintgate.authorizer.keycloak.enforce.NarrowedIntrospectionProvider;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProvider;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProviderFactory;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;
import org.keycloak.protocol.oidc.TokenIntrospectionProviderFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Takes the place of Keycloak's {@code access_token} introspection provider (same id; Keycloak keeps one factory per
 * id and prefers the higher {@link #order()}), so that introspection never answers broader than a narrowed token.
 * {@code --spi-oauth2-token-introspection--access_token--mintgate-narrowing=false} makes it hand out Keycloak's own provider.
 */
public final class NarrowedIntrospectionProviderFactory implements TokenIntrospectionProviderFactory {

    static final String NARROWING_OPTION = "mintgate-narrowing";

    private static final Logger LOG = Logger.getLogger(NarrowedIntrospectionProviderFactory.class);

    private boolean narrowing = true;
    /** Said once, at first use, so an admin reading the log knows whose provider answers. */
    private final AtomicBoolean announced = new AtomicBoolean();

    @Override
    public TokenIntrospectionProvider create(KeycloakSession session) {
        if (announced.compareAndSet(false, true)) {
            LOG.infof(narrowing
                    ? "Access-token introspection is answered by Keycloak's provider narrowed by Mintgate: a narrowed token"
                    + " is never described broader than it was issued; --spi-oauth2-token-introspection--access_token--%s=false"
                    + " answers with Keycloak's alone"
                    : "Access-token introspection is answered by Keycloak's own provider (%s=false): narrowed tokens are"
                    + " described with what Keycloak re-derives for them", NARROWING_OPTION);
        }
        return narrowing ? new NarrowedIntrospectionProvider(session) : new AccessTokenIntrospectionProvider<>(session);
    }

    @Override
    public void init(Config.Scope config) {
        narrowing = config.getBoolean(NARROWING_OPTION, true);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return AccessTokenIntrospectionProviderFactory.ACCESS_TOKEN_TYPE;
    }

    /** Above Keycloak's (0): of two factories with one id, Keycloak keeps the one with the higher order. */
    @Override
    public int order() {
        return 1;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(NARROWING_OPTION).type("boolean").defaultValue(true)
                .helpText("Narrow the introspection answer of a narrowed access token to the token as issued.").add()
                .build();
    }
}
