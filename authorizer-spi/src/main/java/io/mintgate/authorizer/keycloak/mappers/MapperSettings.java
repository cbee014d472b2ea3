package io.mintgate.authorizer.keycloak.mappers;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.keycloak.models.Constants;
import org.keycloak.protocol.ProtocolMapperConfigException;

/**
 * Reads the mappers' configuration values. Keycloak hands a mapper its configuration as raw strings on every token
 * request; each distinct value is parsed once and remembered, so the token path never re-parses. Bounded: mapper
 * configuration changes rarely, and an overflow only costs re-parsing.
 */
final class MapperSettings {

    private static final int MAX_ENTRIES = 512;
    /** {@code mintgate.mapper.invalid={0}} in the theme's admin messages. */
    private static final String INVALID_MESSAGE_KEY = "mintgate.mapper.invalid";
    private static final Map<String, List<String>> LISTS = new ConcurrentHashMap<>();
    private static final Map<String, Duration> DURATIONS = new ConcurrentHashMap<>();

    private MapperSettings() {
    }

    /** A multivalued value (Keycloak joins the values with {@code ##}): the non-blank entries, trimmed. */
    static List<String> list(Map<String, String> config, String key) {
        String raw = config.get(key);
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        List<String> cached = LISTS.get(raw);
        if (cached != null) {
            return cached;
        }
        List<String> values = new ArrayList<>();
        for (String value : raw.split(Constants.CFG_DELIMITER)) {
            if (!value.isBlank()) {
                values.add(value.trim());
            }
        }
        return remember(LISTS, raw, List.copyOf(values));
    }

    /** A positive lifetime, or null when the key is unset; the value was validated when the mapper was saved. */
    static Duration duration(Map<String, String> config, String key) {
        String raw = config.get(key);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        Duration cached = DURATIONS.get(raw);
        if (cached != null) {
            return cached;
        }
        try {
            return remember(DURATIONS, raw, parseDuration(key, raw));
        } catch (ProtocolMapperConfigException e) {
            // Saved around validation (raw DB edit, import of a bad file): the shortest lifetime fails closed.
            return Duration.ofSeconds(1);
        }
    }

    /** Seconds ({@code 300}) or an ISO-8601 duration ({@code PT5M}); must be at least one second. */
    static Duration parseDuration(String key, String raw) throws ProtocolMapperConfigException {
        String value = raw.trim();
        Duration duration;
        try {
            duration = value.chars().allMatch(Character::isDigit) && !value.isEmpty()
                    ? Duration.ofSeconds(Long.parseLong(value))
                    : Duration.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw invalid(key, value + " is neither a number of seconds nor an ISO-8601 duration such as PT5M");
        }
        if (duration.getSeconds() < 1) {
            throw invalid(key, "must be at least one second, got " + value);
        }
        return duration;
    }

    /**
     * A refusal that names the field. Keycloak formats the admin console's message from a message key (it fails with
     * a 500 without one) through {@link java.text.MessageFormat}, so the text travels as a parameter, not a pattern.
     */
    static ProtocolMapperConfigException invalid(String field, String problem) {
        String message = field + ": " + problem;
        return new ProtocolMapperConfigException(INVALID_MESSAGE_KEY, message, message);
    }

    private static <T> T remember(Map<String, T> cache, String key, T value) {
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(key, value);
        return value;
    }
}
