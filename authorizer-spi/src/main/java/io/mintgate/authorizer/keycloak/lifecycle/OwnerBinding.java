package io.mintgate.authorizer.keycloak.lifecycle;

import io.mintgate.authorizer.keycloak.context.NhiAttributes;
import io.mintgate.authorizer.keycloak.context.OwnerLookup;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderEvent;

/**
 * Keeps {@code mintgate.owner} a user id whatever wrote it. Admins type usernames; Keycloak publishes a client update
 * event after every save of a client from a representation (admin API and console, both registration providers,
 * partial import), with the attributes already set, so a username is bound to its user's id there, in the same
 * transaction, whether or not the realm uses the issuance controls. A realm import creates its clients before its
 * users, so an imported realm's owners are bound once the whole realm exists. A value that names nobody is left as it
 * is: the controls refuse it if they are on, and at mint it is no owner.
 */
final class OwnerBinding {

    private static final Logger LOG = Logger.getLogger(OwnerBinding.class);

    private OwnerBinding() {
    }

    static void onEvent(ProviderEvent event) {
        if (event instanceof ClientModel.ClientUpdatedEvent updated) {
            bind(updated.getKeycloakSession(), updated.getUpdatedClient());
        } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
            RealmModel realm = created.getCreatedRealm();
            realm.getClientsStream().filter(client -> client.getAttribute(NhiAttributes.OWNER) != null).toList()
                    .forEach(client -> bind(created.getKeycloakSession(), client));
        }
    }

    static void bind(KeycloakSession session, ClientModel client) {
        String value = client.getAttribute(NhiAttributes.OWNER);
        if (value == null || value.isBlank()) {
            return;
        }
        UserModel owner = OwnerLookup.person(session, client.getRealm(), value);
        if (owner == null || owner.getId().equals(value)) {
            return;
        }
        client.setAttribute(NhiAttributes.OWNER, owner.getId());
        LOG.debugf("client '%s' of realm %s: owner '%s' saved as user id %s", client.getClientId(),
                client.getRealm().getName(), value, owner.getId());
    }
}
