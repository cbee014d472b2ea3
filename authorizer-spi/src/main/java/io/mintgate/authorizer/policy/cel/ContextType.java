package io.mintgate.authorizer.policy.cel;

import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.StructType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A CEL struct type backed by a Java record, so the checker knows every field and its type. */
public final class ContextType<T> {

    private final StructType structType;
    private final Map<String, ContextField<T>> fields;

    ContextType(String name, List<ContextField<T>> fieldList) {
        Map<String, ContextField<T>> byName = new LinkedHashMap<>();
        for (ContextField<T> f : fieldList) {
            byName.put(f.name(), f);
        }
        this.fields = Map.copyOf(byName);
        this.structType = StructType.create(name, ImmutableSet.copyOf(byName.keySet()),
                field -> Optional.ofNullable(fields.get(field)).map(ContextField::type));
    }

    public StructType celType() {
        return structType;
    }

    public Map<String, ContextField<T>> fields() {
        return fields;
    }

    ContextField<T> field(String name) {
        return fields.get(name);
    }

    /** Wraps one record for one evaluation; cheap, nothing is converted until a field is selected. */
    public ContextStruct<T> wrap(T record) {
        return new ContextStruct<>(this, record);
    }

    CelType fieldType(String name) {
        ContextField<T> f = fields.get(name);
        return f == null ? null : f.type();
    }
}
