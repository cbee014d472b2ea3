package io.mintgate.authorizer.policy;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A map-valued fact that costs a lookup (a user's attributes: Keycloak copies them on every call): fetched and
 * copied at most once, and only if something reads it. Read-only, like every map in the request; a failing lookup
 * surfaces as an evaluation error of the rule that read it, as for {@link DeferredList}.
 */
public final class DeferredMap<V> extends AbstractMap<String, V> {

    private final Supplier<? extends Map<String, V>> lookup;
    private final UnaryOperator<Map<String, V>> copy;
    private volatile Map<String, V> value;

    private DeferredMap(Supplier<? extends Map<String, V>> lookup, UnaryOperator<Map<String, V>> copy) {
        this.lookup = lookup;
        this.copy = copy;
    }

    /** Multi-valued attributes, copied as {@link SubjectInfo} copies them (null keys and list entries dropped). */
    public static Map<String, List<String>> ofMultimap(Supplier<? extends Map<String, List<String>>> lookup) {
        return new DeferredMap<>(lookup, Values::copyMultimap);
    }

    private Map<String, V> value() {
        Map<String, V> v = value;
        if (v == null) {
            v = copy.apply(lookup.get());
            value = v;
        }
        return v;
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        return value().entrySet();
    }

    @Override
    public V get(Object key) {
        return value().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return value().containsKey(key);
    }

    @Override
    public int size() {
        return value().size();
    }

    /** True once looked up; for tests and diagnostics. */
    public boolean fetched() {
        return value != null;
    }
}
