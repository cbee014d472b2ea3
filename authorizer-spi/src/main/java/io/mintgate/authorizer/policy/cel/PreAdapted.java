package io.mintgate.authorizer.policy.cel;

import java.util.List;
import java.util.Map;

/**
 * Hands request lists and maps to CEL in a form its runtime does not re-adapt.
 *
 * <p>Why: the planner runtime of cel-java 0.14 normalises every value it meets (each attribute hop, each
 * function result, each comprehension step) by walking plain lists and maps element by element, applying a
 * chain of {@code instanceof} interface checks to every element; lists that are not {@code RandomAccess}
 * are even copied. Profiling showed that walk to be the largest cost of a decision: reading
 * {@code client.attributes['k']} cost several times a whole simple rule. The runtime returns any
 * {@link dev.cel.common.values.CelValue} unchanged, so our containers are CelValues that also implement
 * {@link List}/{@link Map} and behave exactly like the collections they wrap.
 *
 * <p>Only wrap containers that are never mutated and whose elements are already CEL runtime values
 * (String, Long, Double, Boolean, Instant, Duration, and lists/maps of those): that is the adaptation skipped.
 */
final class PreAdapted {

    private PreAdapted() {
    }

    static <E> List<E> list(List<E> list) {
        return list instanceof PreAdaptedList<E> ? list : new PreAdaptedList<>(list);
    }

    static <K, V> Map<K, V> map(Map<K, V> map) {
        return map instanceof PreAdaptedMap<K, V> ? map : new PreAdaptedMap<>(map);
    }
}
