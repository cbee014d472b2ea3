package io.mintgate.authorizer.keycloak.services;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import io.mintgate.authorizer.policy.PolicyEvaluationException;
import io.mintgate.authorizer.policy.budget.BudgetCounters;
import org.infinispan.commons.api.BasicCache;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

/**
 * Issuance budget counters in Keycloak's {@code work} cache, which Keycloak requires to be replicated in a cluster
 * (it carries cluster events): every node reads a counter locally and an increment is one conditional write
 * ({@code putIfAbsent} / {@code replace}), locked at the entry's primary owner and replicated synchronously, so
 * two nodes cannot both take the last unit. Infinispan 16 as shipped by Keycloak 26.7.3 has no clustered counters
 * (only the counter API jar), and {@code compute} would have to ship a lambda through Keycloak's ProtoStream
 * marshaller, which only knows Keycloak's own types; a {@code String → Long} entry needs neither. Entries expire
 * at the end of their window (plus a minute for clock skew between nodes), so nothing has to clean up.
 * <p>
 * Entries are keyed by the realm's id, not its name, so a realm deleted and re-created under the same name does
 * not inherit the old realm's exhausted counters.
 * <p>
 * A unit taken for a request that then ends without a token (refused by a later rule or executor, or failed in
 * Keycloak) is given back by {@link TakenBudgetUnits}, so only tokens actually issued count.
 */
final class WorkCacheBudgetCounters implements BudgetCounters {

    static final String WORK_CACHE = "work";
    /** Clock skew tolerated between nodes before a lagging node could see a finished window's counter expire. */
    static final long SKEW_GRACE_MILLIS = 60_000;
    /** Conditional writes lost to concurrent ones before giving up (then the rule's onError decides). */
    private static final int ATTEMPTS = 64;

    private final KeycloakSession session;

    WorkCacheBudgetCounters(KeycloakSession session) {
        this.session = session;
    }

    /**
     * A dry run's counters (the simulator): whether a unit is left, read locally, without taking it. The answer is
     * what {@link #tryTake} would have said at this moment; a concurrent request may take the last unit meanwhile.
     */
    static BudgetCounters peeking(KeycloakSession session) {
        return (counterInRealm, limit, expiresAt) -> {
            RealmModel realm = session.getContext().getRealm();
            if (realm == null) {
                throw new PolicyEvaluationException("issuance budget counted outside a realm", null);
            }
            String counter = entryKey(realm.getId(), counterInRealm);
            Object current = WorkCache.of(session).get(counter);
            return current == null ? limit > 0 : taken(counter, current) < limit;
        };
    }

    @Override
    public boolean tryTake(String counterInRealm, long limit, Instant expiresAt) {
        String counter = entryKey(realmId(), counterInRealm);
        BasicCache<String, Object> cache = WorkCache.of(session);
        long lifespan = lifespanUntil(expiresAt);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Object current = cache.get(counter);
            if (current == null) {
                if (cache.putIfAbsent(counter, 1L, lifespan, TimeUnit.MILLISECONDS) == null) {
                    RequestLedger.of(session).budgetUnits().record(counter, expiresAt);
                    return true;
                }
                continue;
            }
            long taken = taken(counter, current);
            if (taken >= limit) {
                return false; // exhausted: a local read, no write
            }
            if (cache.replace(counter, current, taken + 1, lifespan, TimeUnit.MILLISECONDS)) {
                RequestLedger.of(session).budgetUnits().record(counter, expiresAt);
                return true;
            }
        }
        throw new PolicyEvaluationException("issuance budget counter stayed contended after " + ATTEMPTS + " attempts", null);
    }

    /** The cache key: the realm id, length-prefixed so that no realm id can run into the counter's name. */
    static String entryKey(String realmId, String counterInRealm) {
        return "mintgate-budget::" + realmId.length() + ":" + realmId + "::" + counterInRealm;
    }

    private String realmId() {
        RealmModel realm = session.getContext().getRealm();
        if (realm == null) {
            throw new PolicyEvaluationException("issuance budget counted outside a realm", null);
        }
        return realm.getId();
    }

    /** Gives one unit back (never below zero); best effort, as the request that took it is failing anyway. */
    static void giveBack(BasicCache<String, Object> cache, String counter, Instant expiresAt) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Object current = cache.get(counter);
            if (!(current instanceof Long taken) || taken <= 0) {
                return;
            }
            if (cache.replace(counter, current, taken - 1, lifespanUntil(expiresAt), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    static long lifespanUntil(Instant expiresAt) {
        return Math.max(0, expiresAt.toEpochMilli() - System.currentTimeMillis()) + SKEW_GRACE_MILLIS;
    }

    private static long taken(String counter, Object value) {
        if (value instanceof Long taken) {
            return taken;
        }
        throw new PolicyEvaluationException("issuance budget counter holds " + value.getClass().getName(), null);
    }

    /**
     * Keycloak's {@code InfinispanConnectionProvider} lives in keycloak-model-infinispan, whose 26.7.3 jar is not
     * published to Maven Central: it is looked up by name once, and its {@code getCache(String)} called per request.
     */
    static final class WorkCache {
        private static final String PROVIDER = "org.keycloak.connections.infinispan.InfinispanConnectionProvider";
        private static volatile Lookup lookup;

        private record Lookup(Class<? extends Provider> type, Method getCache) {
        }

        private WorkCache() {
        }

        @SuppressWarnings("unchecked")
        static BasicCache<String, Object> of(KeycloakSession session) {
            try {
                Lookup found = lookup();
                Provider provider = session.getProvider(found.type());
                Object cache = provider == null ? null : found.getCache().invoke(provider, WORK_CACHE);
                if (cache == null) {
                    throw new PolicyEvaluationException("Keycloak's '" + WORK_CACHE + "' cache is not available here", null);
                }
                return (BasicCache<String, Object>) cache;
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new PolicyEvaluationException("Keycloak's '" + WORK_CACHE + "' cache cannot be reached: " + e, e);
            }
        }

        @SuppressWarnings("unchecked")
        private static Lookup lookup() throws ReflectiveOperationException {
            Lookup found = lookup;
            if (found == null) {
                Class<? extends Provider> type = (Class<? extends Provider>) Class.forName(PROVIDER, true,
                        WorkCache.class.getClassLoader());
                found = new Lookup(type, type.getMethod("getCache", String.class));
                lookup = found;
            }
            return found;
        }
    }
}
