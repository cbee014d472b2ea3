package io.mintgate.authorizer.keycloak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.mintgate.authorizer.keycloak.enforce.NarrowedOidcProtocolService;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.OIDCLoginProtocolFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Keycloak's {@code openid-connect} login protocol, with userinfo answering no broader than a narrowed access token and
 * every token-endpoint ID token following the narrowed access token's lifetime ({@link NarrowedOidcProtocolService}).
 * It has Keycloak's id and order; of two factories with one id and order, Keycloak keeps the one that is not its own.
 * Everything else, its options included, is Keycloak's.
 * {@code --spi-login-protocol--openid-connect--mintgate-narrowing=false} serves Keycloak's endpoints alone.
 */
public final class NarrowedOidcLoginProtocolFactory extends OIDCLoginProtocolFactory {

    static final String NARROWING_OPTION = "mintgate-narrowing";

    private static final Logger LOG = Logger.getLogger(NarrowedOidcLoginProtocolFactory.class);

    private boolean narrowing = true;
    private final AtomicBoolean announced = new AtomicBoolean();

    @Override
    public void init(Config.Scope config) {
        super.init(config);
        narrowing = config.getBoolean(NARROWING_OPTION, true);
    }

    @Override
    public Object createProtocolEndpoint(KeycloakSession session, EventBuilder event) {
        if (announced.compareAndSet(false, true)) {
            LOG.infof(narrowing
                    ? "OpenID Connect userinfo and ID tokens are no broader than a narrowed access token (Mintgate);"
                    + " --spi-login-protocol--openid-connect--%s=false serves Keycloak's endpoints alone"
                    : "OpenID Connect endpoints are Keycloak's own (%s=false): userinfo re-derives the claims of scopes"
                    + " that narrowing removed, and an ID token may outlive its narrowed access token", NARROWING_OPTION);
        }
        return narrowing ? new NarrowedOidcProtocolService(session, event) : super.createProtocolEndpoint(session, event);
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        List<ProviderConfigProperty> properties = new ArrayList<>(super.getConfigMetadata());
        properties.addAll(ProviderConfigurationBuilder.create()
                .property().name(NARROWING_OPTION).type("boolean").defaultValue(true)
                .helpText("Userinfo of a narrowed access token returns only the claims of the scopes the token has, and an"
                        + " ID token never outlives its narrowed access token.").add()
                .build());
        return properties;
    }
}
