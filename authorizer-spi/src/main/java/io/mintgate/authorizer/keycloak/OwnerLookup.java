package io.mintgate.authorizer.keycloak;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Finds an NHI's owner by username on every mint, live (a disabled or deleted owner stops the very next token),
 * through Keycloak's user cache by id once the id is known: a username lookup is an id lookup plus a query-cache
 * lookup. The remembered id is only a hint: the user found by it must still carry that username, otherwise (renamed,
 * deleted, a new user with the old name) the username lookup runs again.
 */
final class OwnerLookup {

    private static final int MAX_ENTRIES = 10_000;
    private static final Map<String, Map<String, String>> IDS = new ConcurrentHashMap<>();

    private OwnerLookup() {
    }

    /** The owner's user, or null when no user has that username. */
    static UserModel find(KeycloakSession session, RealmModel realm, String username) {
        Map<String, String> ids = IDS.get(realm.getId());
        String id = ids == null ? null : ids.get(username);
        if (id != null) {
            UserModel user = session.users().getUserById(realm, id);
            if (user != null && username.equalsIgnoreCase(user.getUsername())) {
                return user;
            }
        }
        UserModel user = session.users().getUserByUsername(realm, username);
        if (user != null) {
            if (IDS.size() >= MAX_ENTRIES) {
                IDS.clear(); // bounded; a lost hint costs one username lookup
            }
            Map<String, String> realmIds = IDS.computeIfAbsent(realm.getId(), r -> new ConcurrentHashMap<>());
            if (realmIds.size() >= MAX_ENTRIES) {
                realmIds.clear();
            }
            realmIds.put(username, user.getId());
        }
        return user;
    }
}
