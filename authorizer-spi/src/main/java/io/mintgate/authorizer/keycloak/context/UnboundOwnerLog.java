package io.mintgate.authorizer.keycloak.context;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/**
 * Tells the admin why an identity has no owner at mint: its {@code mintgate.owner} is no user's id. Either the owner
 * was deleted (expected, and the policy refuses), or the value is a username that was never bound to an id (saved
 * before owners were ids, or written where Mintgate does not see the save): saving the client again binds it. Every
 * token request of such an identity gets here, so each client is logged at WARN at most once a minute.
 */
final class UnboundOwnerLog {

    private static final Logger LOG = Logger.getLogger(UnboundOwnerLog.class);
    private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int MAX_CLIENTS = 10_000;
    private static final ConcurrentMap<String, Long> LAST_WARNED = new ConcurrentHashMap<>();

    private UnboundOwnerLog() {
    }

    static void noUser(RealmModel realm, ClientModel client, String owner) {
        long now = System.nanoTime();
        String key = realm.getId() + '\u0000' + client.getId();
        Long last = LAST_WARNED.get(key);
        if (last != null && now - last < INTERVAL_NANOS) {
            return;
        }
        if (LAST_WARNED.size() >= MAX_CLIENTS) {
            LAST_WARNED.clear();
        }
        LAST_WARNED.put(key, now);
        LOG.warnf("client '%s' of realm %s: mintgate.owner '%s' is not the id of a user of the realm, so the identity"
                + " has no owner (nhi.ownerExists is false). Either the owner was deleted, or it is a username that was"
                + " never bound to the user's id: save the client again (admin console, admin API) to bind it.",
                client.getClientId(), realm.getName(), owner);
    }
}
