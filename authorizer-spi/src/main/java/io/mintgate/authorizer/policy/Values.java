package io.mintgate.authorizer.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Null-safe defensive copies for the request records. */
final class Values {

    private Values() {
    }

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The JDK's own immutable lists ({@code List.of}, {@code List.copyOf}): they hold no nulls and cannot change. */
    private static final Class<?> IMMUTABLE_LIST_12 = List.of(0).getClass();
    private static final Class<?> IMMUTABLE_LIST_N = List.of(0, 1, 2).getClass();

    static <T> List<T> copy(List<T> list) {
        if (list instanceof DeferredList<T>) {
            return list; // copies (and drops nulls) when first read
        }
        if (list != null && (list.getClass() == IMMUTABLE_LIST_12 || list.getClass() == IMMUTABLE_LIST_N)) {
            return list; // e.g. the scopes of every request: nothing to drop, nothing anyone can change
        }
        return copyEager(list);
    }

    static <T> List<T> copyEager(List<T> list) {
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(list.size());
        for (T t : list) {
            if (t != null) {
                out.add(t);
            }
        }
        return Collections.unmodifiableList(out);
    }

    static <V> Map<String, V> copy(Map<String, V> map) {
        if (map instanceof DeferredMap<V>) {
            return map; // reads key by key, or copies when first iterated
        }
        return copyEager(map);
    }

    static <V> Map<String, V> copyEager(Map<String, V> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        Map<String, V> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (k != null && v != null) {
                out.put(k, v);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    static Map<String, List<String>> copyMultimap(Map<String, List<String>> map) {
        if (map instanceof DeferredMap<List<String>>) {
            return map; // copies when first read
        }
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (k != null) {
                out.put(k, copy(v));
            }
        });
        return Collections.unmodifiableMap(out);
    }
}
