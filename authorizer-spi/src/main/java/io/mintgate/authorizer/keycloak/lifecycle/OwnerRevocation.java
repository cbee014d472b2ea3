package io.mintgate.authorizer.keycloak.lifecycle;

import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.keycloak.context.NhiAttributes;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.UserSessionManager;

/**
 * Takes back what an offboarded owner's identities already hold. For each client whose owner attribute is the user's
 * id: the client's not-before moves to now (every access, refresh and offline token issued before is rejected by
 * introspection, refresh and the userinfo endpoint), its service account's sessions are removed, other users'
 * sessions lose this client, and its offline tokens are revoked. Each client revoked is one REVOKE_GRANT event,
 * so the audit trail records who lost what and why.
 */
public final class OwnerRevocation {

    private static final Logger LOG = Logger.getLogger(OwnerRevocation.class);

    /** Why the owner no longer vouches for the identity; the audit record's reason. */
    public enum Cause {
        OWNER_DISABLED("owner_disabled"), OWNER_DELETED("owner_deleted");

        final String reason;

        Cause(String reason) {
            this.reason = reason;
        }
    }

    private OwnerRevocation() {
    }

    /** @param owner the owner's user id, as {@code mintgate.owner} holds it */
    static void revokeOwnedBy(KeycloakSession session, RealmModel realm, String owner, Cause cause) {
        if (owner == null || owner.isBlank()) {
            return;
        }
        List<ClientModel> owned = ownedBy(session, realm, owner);
        for (ClientModel client : owned) {
            revoke(session, realm, client, owner, cause);
        }
        if (!owned.isEmpty()) {
            LOG.infof("owner %s of realm %s is %s: revoked the tokens and sessions of %d client(s)", owner,
                    realm.getName(), cause.reason.replace("owner_", ""), owned.size());
        }
    }

    /**
     * Keycloak searches client attributes in the database only for attributes the server declares searchable
     * ({@code --spi-client--jpa--searchable-attributes=mintgate.owner}); without that, every client of the realm is
     * read (from Keycloak's cache) and filtered here — fine for an admin action on realms of a few thousand clients.
     */
    static List<ClientModel> ownedBy(KeycloakSession session, RealmModel realm, String owner) {
        try {
            return session.clients().searchClientsByAttributes(realm, Map.of(NhiAttributes.OWNER, owner), null, null).toList();
        } catch (org.keycloak.models.ModelException notSearchable) {
            return session.clients().getClientsStream(realm)
                    .filter(client -> owner.equals(client.getAttribute(NhiAttributes.OWNER)))
                    .toList();
        }
    }

    private static void revoke(KeycloakSession session, RealmModel realm, ClientModel client, String owner, Cause cause) {
        client.setNotBefore(Time.currentTime());
        UserModel serviceAccount = client.isServiceAccountsEnabled() ? session.users().getServiceAccount(client) : null;

        for (UserSessionModel userSession : session.sessions().getUserSessionsStream(realm, client).toList()) {
            if (serviceAccount != null && serviceAccount.getId().equals(userSession.getUser().getId())) {
                session.sessions().removeUserSession(realm, userSession);
            } else {
                AuthenticatedClientSessionModel clientSession = userSession.getAuthenticatedClientSessionByClient(client.getId());
                if (clientSession != null) {
                    clientSession.detachFromUserSession();
                }
            }
        }
        UserSessionManager offline = new UserSessionManager(session);
        for (UserSessionModel userSession : session.sessions().getOfflineUserSessionsStream(realm, client, null, null).toList()) {
            offline.revokeOfflineToken(userSession.getUser(), client);
        }

        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.REVOKE_GRANT)
                .client(client)
                .detail(Details.REASON, cause.reason)
                .detail(Details.REVOKED_CLIENT, client.getClientId())
                .detail(NhiAttributes.DETAIL_OWNER, owner);
        if (serviceAccount != null) {
            event.user(serviceAccount);
        }
        event.success();
    }
}
