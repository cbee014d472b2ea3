package io.mintgate.authorizer.policy.cel;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Conversions between JSON-like Java values and the value kinds the CEL runtime understands. */
public final class CelValues {

    private CelValues() {
    }

    /**
     * JSON-like Java (Integer, Float, nested collections, ...) to CEL runtime values (Long, Double, ...).
     * Containers come back {@link PreAdapted}, since their contents are converted here once per request.
     */
    public static Object toCel(Object value) {
        if (value == null) {
            return dev.cel.common.values.NullValue.NULL_VALUE;
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof Double
                || value instanceof Instant || value instanceof Duration) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), toCel(v)));
            return PreAdapted.map(out);
        }
        if (value instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(toCel(v)));
            return PreAdapted.list(out);
        }
        if (value instanceof Object[] array) {
            return toCel(List.of(array));
        }
        return String.valueOf(value);
    }

    /** CEL results to plain Java for token claims: timestamps as epoch seconds, durations as seconds. */
    public static Object toJava(Object value) {
        if (value instanceof Instant instant) {
            return instant.getEpochSecond();
        }
        if (value instanceof Duration duration) {
            return duration.getSeconds();
        }
        if (value instanceof dev.cel.common.values.NullValue) {
            return null;
        }
        if (value instanceof Optional<?> optional) {
            return optional.map(CelValues::toJava).orElse(null);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), toJava(v)));
            return out;
        }
        if (value instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(toJava(v)));
            return out;
        }
        if (value instanceof com.google.common.primitives.UnsignedLong u) {
            return u.longValue();
        }
        if (value instanceof dev.cel.common.values.CelByteString bytes) {
            return java.util.Base64.getEncoder().encodeToString(bytes.toByteArray());
        }
        return value;
    }
}
