package io.mintgate.authorizer.policy;

import java.util.AbstractList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A fact the host can look up but that costs a lookup (a client's roles, a user's groups): fetched at most once,
 * and only if some rule reads it. Most policies never read most facts, and on the token path every lookup counts.
 * Read-only and null-free like every list in the request; a failing lookup surfaces as an evaluation error of the
 * rule that read it, so that rule's {@code onError} applies (deny by default).
 */
public final class DeferredList<T> extends AbstractList<T> {

    private final Supplier<? extends List<T>> lookup;
    private volatile List<T> value;

    private DeferredList(Supplier<? extends List<T>> lookup) {
        this.lookup = lookup;
    }

    public static <T> List<T> of(Supplier<? extends List<T>> lookup) {
        return new DeferredList<>(lookup);
    }

    private List<T> value() {
        List<T> v = value;
        if (v == null) {
            v = Values.copyEager(lookup.get());
            value = v;
        }
        return v;
    }

    @Override
    public T get(int index) {
        return value().get(index);
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
