package io.mintgate.authorizer.keycloak.context;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Finds the owner of a non-human identity. {@code mintgate.owner} holds the owner's user id: a username can be
 * renamed, and can be taken again by someone else once its user is deleted, an id is neither. Keycloak's user cache
 * answers an id lookup, so the owner is read live on every mint at the cost of a cache hit.
 */
public final class OwnerLookup {

    private OwnerLookup() {
    }

    /** The user whose id the stored owner value is, or null: a value that is no user's id (a username) names nobody. */
    static UserModel byId(KeycloakSession session, RealmModel realm, String ownerId) {
        return session.users().getUserById(realm, ownerId.trim());
    }

    /**
     * The person an admin's value names, for saving an owner: the user with that id, else the user with that
     * username; null when there is none, or when it is a service account — an identity answers to a person.
     */
    public static UserModel person(KeycloakSession session, RealmModel realm, String idOrUsername) {
        String value = idOrUsername.trim();
        UserModel user = inRealm(session, realm, session.users().getUserById(realm, value));
        if (user == null) {
            user = session.users().getUserByUsername(realm, value);
        }
        return user == null || user.getServiceAccountClientLink() != null ? null : user;
    }

    /**
     * Keycloak 26.7's user cache answers {@code getUserById(realm, id)} from the users already loaded in the session
     * without checking their realm, so in an admin request the signed-in admin of {@code master} is "found" in any
     * realm. A user of the realm is the one its username names there.
     */
    private static UserModel inRealm(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user == null) {
            return null;
        }
        UserModel named = session.users().getUserByUsername(realm, user.getUsername());
        return named != null && named.getId().equals(user.getId()) ? user : null;
    }
}
