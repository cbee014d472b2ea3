package io.mintgate.authorizer.keycloak.lifecycle;

import org.keycloak.Config;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;

/**
 * Global listener {@code mintgate-owner-offboarding}: when the owner of non-human identities is disabled through
 * the admin API (console, REST, kcadm) or deleted by any path, revokes what those identities already hold — see
 * {@link OwnerRevocation}. Refusing NEW tokens needs no listener: the owner's status is read live at every mint.
 * Off unless enabled for the server ({@code --spi-events-listener--mintgate-owner-offboarding--revoke=true}) or for
 * a realm (realm attribute {@code mintgate.owner-offboarding.revoke=true}; {@code false} opts a realm out).
 */
public final class OwnerOffboardingListenerFactory implements EventListenerProviderFactory {

    public static final String PROVIDER_ID = "mintgate-owner-offboarding";
    static final String REALM_ATTRIBUTE = "mintgate.owner-offboarding.revoke";

    private boolean revokeByDefault;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new Listener(session);
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public void init(Config.Scope config) {
        revokeByDefault = config.getBoolean("revoke", false);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // Deletion can come from anywhere (admin API, user storage sync, account deletion): the provider event sees all.
        factory.register(event -> {
            if (event instanceof UserModel.UserPreRemovedEvent removed && enabledFor(removed.getRealm())) {
                OwnerRevocation.revokeOwnedBy(removed.getKeycloakSession(), removed.getRealm(),
                        removed.getUser().getId(), OwnerRevocation.Cause.OWNER_DELETED);
            }
        });
    }

    boolean enabledFor(RealmModel realm) {
        String value = realm.getAttribute(REALM_ATTRIBUTE);
        return value == null || value.isBlank() ? revokeByDefault : Boolean.parseBoolean(value.trim());
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("revoke").type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false)
                .helpText("When an NHI owner is disabled or deleted, revoke the sessions, refresh and offline tokens of"
                        + " every client they own. A realm attribute mintgate.owner-offboarding.revoke overrides it.")
                .add().build();
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    private final class Listener implements EventListenerProvider {
        private final KeycloakSession session;

        Listener(KeycloakSession session) {
            this.session = session;
        }

        @Override
        public void onEvent(Event event) {
        }

        @Override
        public void onEvent(AdminEvent event, boolean includeRepresentation) {
            if (event.getResourceType() != ResourceType.USER || event.getOperationType() != OperationType.UPDATE) {
                return;
            }
            String path = event.getResourcePath();
            // Only the user itself ("users/<id>"), not its role mappings, groups, credentials ...
            if (path == null || !path.startsWith("users/") || path.indexOf('/', "users/".length()) >= 0) {
                return;
            }
            RealmModel realm = session.realms().getRealm(event.getRealmId());
            if (realm == null || !enabledFor(realm)) {
                return;
            }
            // The update is in this transaction already: the user as read now is the user as saved.
            UserModel user = session.users().getUserById(realm, path.substring("users/".length()));
            if (user != null && !user.isEnabled()) {
                OwnerRevocation.revokeOwnedBy(session, realm, user.getId(), OwnerRevocation.Cause.OWNER_DISABLED);
            }
        }

        @Override
        public void close() {
        }
    }
}
