package io.mintgate.authorizer.policy.cel;

import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.StructType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A CEL struct type backed by a Java record, so the checker knows every field and its type. */
public final class ContextType<T> {

    private final StructType structType;
    private final Map<String, ContextField<T>> fields;
    /**
     * Field name to its position in {@link #byIndex} (and in a {@link ContextStruct}'s memo). A {@code HashMap}
     * because the planner looks a field up at every selection: {@code Map.copyOf}'s probing showed as ~8% of a
     * decision's CPU samples.
     */
    private final HashMap<String, Integer> slots = new HashMap<>();
    private final ContextField<T>[] byIndex;

    ContextType(String name, List<ContextField<T>> fieldList) {
        Map<String, ContextField<T>> byName = new LinkedHashMap<>();
        for (ContextField<T> f : fieldList) {
            byName.put(f.name(), f);
        }
        this.fields = Map.copyOf(byName);
        @SuppressWarnings("unchecked")
        ContextField<T>[] array = fieldList.toArray(new ContextField[0]);
        this.byIndex = array;
        for (int i = 0; i < array.length; i++) {
            slots.put(array[i].name(), i);
        }
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

    /** The field's position, or -1 when there is no such field. */
    int slot(String name) {
        Integer slot = slots.get(name);
        return slot == null ? -1 : slot;
    }

    ContextField<T> field(int slot) {
        return byIndex[slot];
    }

    int fieldCount() {
        return byIndex.length;
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
