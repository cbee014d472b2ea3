package io.mintgate.authorizer.policy;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A read-only view of a map built by the engine and never touched again, so that {@link Obligations} can keep its
 * claims without a defensive copy (the map analogue of {@link FrozenSet}). Only the policy package creates these,
 * after it is done writing the underlying map.
 */
final class FrozenMap<K, V> extends AbstractMap<K, V> {

    private final Map<K, V> items;

    FrozenMap(LinkedHashMap<K, V> items) {
        this.items = Collections.unmodifiableMap(items);
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return items.entrySet();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public boolean containsKey(Object key) {
        return items.containsKey(key);
    }

    @Override
    public V get(Object key) {
        return items.get(key);
    }
}
