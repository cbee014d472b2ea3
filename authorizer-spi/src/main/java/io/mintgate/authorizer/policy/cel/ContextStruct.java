package io.mintgate.authorizer.policy.cel;

import dev.cel.common.types.CelType;
import dev.cel.common.values.StructValue;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL view of one context record. Field values are read lazily; {@code has(x.f)} is false when the value
 * is absent (null), an empty string or an empty list/map, so optional data can be tested without errors.
 * Not thread-safe: one instance lives inside one request's activation.
 */
public final class ContextStruct<T> extends StructValue<String, Object> {

    private final ContextType<T> type;
    private final T record;
    /** Memoized field values by {@link ContextType#slot}; allocated on the first memoized read. */
    private Object[] memo;

    ContextStruct(ContextType<T> type, T record) {
        this.type = type;
        this.record = record;
    }

    @Override
    public Object select(String field) {
        Object value = read(field);
        if (value == null) {
            throw new IllegalStateException("field '" + field + "' of " + type.celType().name()
                    + " is not set; test it with has() first");
        }
        return value;
    }

    @Override
    public Optional<?> find(String field) {
        Object value = read(field);
        return isPresent(value) ? Optional.of(value) : Optional.empty();
    }

    /** {@code has(x.f)}: set, and not an empty string, list or map. */
    static boolean isPresent(Object value) {
        return !(value == null || value instanceof String s && s.isEmpty()
                || value instanceof Collection<?> c && c.isEmpty() || value instanceof Map<?, ?> m && m.isEmpty());
    }

    private Object read(String field) {
        int slot = type.slot(field);
        if (slot < 0) {
            throw new IllegalArgumentException("no such field '" + field + "' in " + type.celType().name());
        }
        return read(slot);
    }

    ContextType<T> type() {
        return type;
    }

    /** The field at {@code slot} of this struct's type (null when absent), for callers that resolved the name. */
    Object read(int slot) {
        ContextField<T> f = type.field(slot);
        if (!f.memoize()) {
            return f.reader().apply(record);
        }
        if (memo == null) {
            memo = new Object[type.fieldCount()];
        }
        Object value = memo[slot];
        if (value == null) {
            value = f.reader().apply(record);
            memo[slot] = value; // an absent (null) value is simply read again next time
        }
        return value;
    }

    @Override
    public Object value() {
        return record;
    }

    @Override
    public boolean isZeroValue() {
        return false;
    }

    @Override
    public CelType celType() {
        return type.celType();
    }
}
