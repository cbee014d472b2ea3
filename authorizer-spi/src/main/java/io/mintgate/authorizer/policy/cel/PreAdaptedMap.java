package io.mintgate.authorizer.policy.cel;

import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.CelValue;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * A read-only map that the CEL runtime passes through untouched (see {@link PreAdapted} for why).
 * It is both a {@link CelValue}, so the runtime's converter returns it as is, and a {@link Map}, so indexing,
 * {@code in}, {@code size()}, comprehensions and equality treat it exactly like the map it wraps.
 */
final class PreAdaptedMap<K, V> extends CelValue implements Map<K, V> {

    /** What {@code type()} reports for any plain map, so wrapping is invisible to policies. */
    private static final CelType TYPE = MapType.create(SimpleType.DYN, SimpleType.DYN);

    private final Map<K, V> delegate;

    PreAdaptedMap(Map<K, V> delegate) {
        this.delegate = delegate;
    }

    @Override
    public Object value() {
        return this;
    }

    @Override
    public boolean isZeroValue() {
        return delegate.isEmpty();
    }

    @Override
    public CelType celType() {
        return TYPE;
    }

    @Override
    public int size() {
        return delegate.size();
    }

    @Override
    public boolean isEmpty() {
        return delegate.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return delegate.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return delegate.containsValue(value);
    }

    @Override
    public V get(Object key) {
        return delegate.get(key);
    }

    @Override
    public Set<K> keySet() {
        return delegate.keySet();
    }

    @Override
    public Collection<V> values() {
        return delegate.values();
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return delegate.entrySet();
    }

    // Read-only: the wrapped maps belong to immutable request records.

    @Override
    public V put(K key, V value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public V remove(Object key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || delegate.equals(o);
    }

    @Override
    public int hashCode() {
        return delegate.hashCode();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
