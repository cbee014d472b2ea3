package io.mintgate.authorizer.policy.cel;

import dev.cel.common.types.CelType;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One field of a context object as CEL sees it: its declared type and how to read it from the Java record.
 * {@code memoize} marks fields whose conversion costs something (even just a wrapper object, for lists and maps that
 * rules read many times), so it runs at most once per request.
 */
public record ContextField<T>(String name, CelType type, Function<T, Object> reader, boolean memoize) {

    public static <T> ContextField<T> of(String name, CelType type, Function<T, Object> reader) {
        return new ContextField<>(name, type, reader, false);
    }

    /** A list field whose elements are already CEL values (strings); see {@link PreAdapted}. */
    public static <T> ContextField<T> list(String name, CelType type, Function<T, List<String>> reader) {
        return new ContextField<>(name, type, record -> PreAdapted.list(reader.apply(record)), true);
    }

    /** A map field whose keys and values are already CEL values; see {@link PreAdapted}. */
    public static <T> ContextField<T> map(String name, CelType type, Function<T, Map<String, ?>> reader) {
        return new ContextField<>(name, type, record -> PreAdapted.map(reader.apply(record)), true);
    }

    public static <T> ContextField<T> converted(String name, CelType type, Function<T, Object> reader) {
        return new ContextField<>(name, type, reader, true);
    }
}
