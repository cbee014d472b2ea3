package io.mintgate.authorizer.policy;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.function.Predicate;

/**
 * A read-only view of a set built by the engine and never touched again, so that {@link Obligations} can keep it
 * without a defensive copy. Only the policy package creates these, after it is done writing the underlying set.
 */
final class FrozenSet<E> extends AbstractSet<E> {

    private final LinkedHashSet<E> items;

    FrozenSet(LinkedHashSet<E> items) {
        this.items = items;
    }

    @Override
    public Iterator<E> iterator() {
        Iterator<E> it = items.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public E next() {
                return it.next();
            }
        };
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public boolean contains(Object o) {
        return items.contains(o);
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException();
    }
}
