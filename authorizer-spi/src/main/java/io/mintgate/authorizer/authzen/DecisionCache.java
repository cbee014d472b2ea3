package io.mintgate.authorizer.authzen;

import io.mintgate.authorizer.policy.authzen.AuthzenAnswer;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * PDP decisions by full request body, each for a fixed time to live, at most {@code capacity} of them. Only
 * answers are cached, never failures. When full, expired entries go first, then an arbitrary tenth.
 */
final class DecisionCache {

    private record Entry(AuthzenAnswer answer, long expiresAtNanos) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int capacity;
    private final LongSupplier clock;

    DecisionCache(java.time.Duration ttl, int capacity, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.capacity = capacity;
        this.clock = nanoClock;
    }

    /** @return the cached answer (never modified by anyone), or null on a miss or an expired entry */
    AuthzenAnswer get(String key) {
        if (ttlNanos == 0) {
            return null;
        }
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (clock.getAsLong() - entry.expiresAtNanos() >= 0) {
            entries.remove(key, entry);
            return null;
        }
        return entry.answer();
    }

    void put(String key, AuthzenAnswer answer) {
        if (ttlNanos == 0) {
            return;
        }
        long now = clock.getAsLong();
        if (entries.size() >= capacity) {
            makeRoom(now);
        }
        entries.put(key, new Entry(answer, now + ttlNanos));
    }

    int size() {
        return entries.size();
    }

    private void makeRoom(long now) {
        entries.values().removeIf(e -> now - e.expiresAtNanos() >= 0);
        int excess = entries.size() - capacity + Math.max(1, capacity / 10);
        for (Iterator<String> it = entries.keySet().iterator(); it.hasNext() && excess > 0; excess--) {
            it.next();
            it.remove();
        }
    }
}
