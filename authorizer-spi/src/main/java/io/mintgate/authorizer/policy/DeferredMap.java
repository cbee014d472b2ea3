package io.mintgate.authorizer.policy;

import java.util.Collections;
import java.util.HashMap;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
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
    /** Reads one key without fetching the whole map (null when absent), or null when there is no such lookup. */
    private final Function<String, V> byKey;
    private volatile Map<String, V> value;
    /**
     * The keys read one by one before (or instead of) a whole fetch, with what they gave (null = absent): an audit
     * record then captures exactly what the decision saw without fetching the rest ({@link RequestCapture}). Read on
     * the request's own thread only, like the request.
     */
    private Map<String, V> keysRead;

    private DeferredMap(Supplier<? extends Map<String, V>> lookup, UnaryOperator<Map<String, V>> copy,
                        Function<String, V> byKey) {
        this.lookup = lookup;
        this.copy = copy;
        this.byKey = byKey;
    }

    /** Multi-valued attributes, copied as {@link SubjectInfo} copies them (null keys and list entries dropped). */
    public static Map<String, List<String>> ofMultimap(Supplier<? extends Map<String, List<String>>> lookup) {
        return new DeferredMap<>(lookup, Values::copyMultimap, null);
    }

    /**
     * Single-valued attributes (a client's: Keycloak copies them all on every call, while a policy reads two or three
     * keys) read key by key through {@code byKey}, and fetched and copied whole only when something iterates them or
     * asks their size. {@code byKey} must agree with {@code lookup}: null for a key the map does not have.
     */
    public static Map<String, String> ofKeyed(Function<String, String> byKey,
                                              Supplier<? extends Map<String, String>> lookup) {
        return new DeferredMap<>(lookup, Values::copyEager, byKey);
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
        Map<String, V> v = value;
        if (v == null && byKey != null) {
            if (!(key instanceof String name)) {
                return null;
            }
            if (keysRead == null) {
                keysRead = new HashMap<>(4);
            } else if (keysRead.containsKey(name)) {
                return keysRead.get(name);
            }
            V read = byKey.apply(name);
            keysRead.put(name, read);
            return read;
        }
        return value().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        if (value == null && byKey != null) {
            return get(key) != null;
        }
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

    /**
     * The keys read one by one while the map was not fetched, with their values (null = the key is absent); empty
     * when none was. Once {@link #fetched()}, the whole map is known and this is not needed.
     */
    public Map<String, V> keysRead() {
        return keysRead == null ? Map.of() : Collections.unmodifiableMap(keysRead);
    }
}
