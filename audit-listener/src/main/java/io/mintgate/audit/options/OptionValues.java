package io.mintgate.audit.options;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The listener's server options, read as text and checked one by one: each read either returns a valid value or
 * records a problem that names the option as the admin writes it and says what was expected, so that one start
 * reports every mistake at once instead of failing on the first, or much later while shipping. Secret values never
 * appear in a problem.
 */
public final class OptionValues {
    /** How Keycloak names these options on the command line; problems name them the same way. */
    public static final String PREFIX = "--spi-events-listener--mintgate-audit--";
    private static final String HIDDEN = "(hidden)";
    private static final String PROVIDER_PART = "mintgate-audit--";

    private final Function<String, String> values;
    private final Supplier<Iterable<String>> propertyNames;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param values        an option's raw value by its kebab-case name, null when not set
     * @param propertyNames the option names as the configuration enumerates them; may throw
     *                      {@link UnsupportedOperationException} when it cannot (then names go unchecked)
     */
    public OptionValues(Function<String, String> values, Supplier<Iterable<String>> propertyNames) {
        this.values = values;
        this.propertyNames = propertyNames;
    }

    /** The trimmed value, or null when the option is not set or blank. */
    public String text(String name) {
        String value = values.apply(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String text(String name, String defaultValue) {
        String value = text(name);
        return value == null ? defaultValue : value;
    }

    public long number(String name, long defaultValue, long min, long max) {
        String value = text(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(value.replace("_", ""));
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        problem(name, value, max == Long.MAX_VALUE ? "a whole number of at least " + min
                : "a whole number from " + min + " to " + max);
        return defaultValue;
    }

    public boolean bool(String name, boolean defaultValue) {
        String value = text(name);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problem(name, value, "true or false");
                yield defaultValue;
            }
        };
    }

    /** One of {@code allowed} (case-insensitive); the default when unset or wrong. */
    public String choice(String name, String defaultValue, List<String> allowed) {
        String value = text(name);
        if (value == null) {
            return defaultValue;
        }
        String normalized = value.toLowerCase(Locale.ROOT);
        if (allowed.contains(normalized)) {
            return normalized;
        }
        problem(name, value, "one of " + String.join(", ", allowed));
        return defaultValue;
    }

    /** A comma list whose every element is one of {@code allowed}; duplicates dropped, order kept. */
    public List<String> list(String name, String defaultValue, List<String> allowed) {
        String value = text(name, defaultValue);
        List<String> items = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String raw : value.split(",")) {
            String item = raw.trim().toLowerCase(Locale.ROOT);
            if (item.isEmpty() || items.contains(item)) {
                continue;
            }
            (allowed.contains(item) ? items : unknown).add(item);
        }
        if (!unknown.isEmpty() || items.isEmpty()) {
            problem(name, value, "a comma-separated list of " + String.join(", ", allowed)
                    + (unknown.isEmpty() ? "" : " (unknown: " + String.join(", ", unknown) + ")"));
        }
        return items;
    }

    /** An absolute or relative file system path; null when unset or not a path. */
    public Path path(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            problem(name, value, "a file system path (" + e.getReason() + ")");
            return null;
        }
    }

    /** An http or https URL with a host and, if given, a port from 1 to 65535; null when unset or wrong. */
    public URI httpUrl(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        String expected = "an http or https URL with a host and an optional port from 1 to 65535, "
                + "e.g. https://collector.example/audit";
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            // java.net.URI accepts "http://host:notaport/x" as a registry-based authority with no host: reject it.
            boolean valid = Set.of("http", "https").contains(scheme) && uri.getHost() != null
                    && (uri.getPort() == -1 || uri.getPort() >= 1 && uri.getPort() <= 65535)
                    && uri.getUserInfo() == null;
            if (valid) {
                return uri;
            }
            String why = !Set.of("http", "https").contains(scheme) ? "scheme '" + uri.getScheme() + "'"
                    : uri.getUserInfo() != null ? "credentials in the URL (use http-bearer-token)"
                    : uri.getHost() == null ? "no valid host and port" : "port " + uri.getPort();
            problem(name, uri.getUserInfo() == null ? value : HIDDEN, expected + "; got " + why);
        } catch (URISyntaxException e) {
            problem(name, value, expected + "; not a URL: " + e.getReason() + " at index " + e.getIndex());
        }
        return null;
    }

    /** Records a problem with the option's value shown. */
    public void problem(String name, String value, String expected) {
        problems.add(PREFIX + name + "=" + value + ": expected " + expected);
    }

    /** Records a problem about a secret option: its value is never shown. */
    public void secretProblem(String name, String expected) {
        problem(name, HIDDEN, expected);
    }

    /** Records a problem about an option that is missing. */
    public void missing(String name, String why) {
        problems.add(PREFIX + name + " is not set: " + why);
    }

    /**
     * The option names Keycloak enumerates, as the value lookup takes them; none from a scope that cannot
     * enumerate (then names go unchecked). Keycloak 26.7 enumerates the full property name
     * ({@code kc.spi-events-listener--mintgate-audit--http-url}), so everything up to the provider is cut.
     */
    public Set<String> names() {
        Set<String> names = new java.util.LinkedHashSet<>();
        try {
            for (String name : propertyNames.get()) {
                int provider = name.lastIndexOf(PROVIDER_PART);
                names.add(provider < 0 ? name : name.substring(provider + PROVIDER_PART.length()));
            }
        } catch (UnsupportedOperationException cannotEnumerate) {
            return Set.of();
        }
        return names;
    }

    /** Records an option name the listener does not know; its value is not shown, it may be a secret. */
    public void unknown(String name) {
        problems.add(PREFIX + name + " is not an option of mintgate-audit (misspelt?); the options are listed in "
                + "docs/audit-operations.md");
    }

    public void failIfAny() {
        if (!problems.isEmpty()) {
            throw new InvalidAuditOptionsException(problems);
        }
    }
}
