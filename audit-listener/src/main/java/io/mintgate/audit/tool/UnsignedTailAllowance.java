package io.mintgate.audit.tool;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much of a chain's newest records may lack a signed checkpoint and the trail still pass ({@code verify
 * --allow-unsigned-tail}): a number of records, or an age ({@code 90s}, {@code 5m}, {@code 500ms}, {@code 1h}) that
 * the tail's oldest record may not exceed, measured against the verifying machine's clock. None by default: a trail
 * must then end with a valid checkpoint in every chain. Whatever it allows can be cut off unnoticed.
 *
 * @param records the most records allowed, or -1 when an age is given
 * @param age     the greatest age allowed, or null when a number of records is given
 */
public record UnsignedTailAllowance(long records, Duration age) {
    public static final UnsignedTailAllowance NONE = new UnsignedTailAllowance(0, null);
    private static final Pattern AGE = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** {@code 10000} (records) or {@code 90s}, {@code 5m}, {@code 500ms}, {@code 1h} (age of the oldest record). */
    public static UnsignedTailAllowance parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.matches("\\d+")) {
            return new UnsignedTailAllowance(Long.parseLong(value), null);
        }
        Matcher m = AGE.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("--allow-unsigned-tail '" + text + "' is neither a number of records "
                    + "(10000) nor an age with a unit ms, s, m or h (90s)");
        }
        long n = Long.parseLong(m.group(1));
        Duration age = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        return new UnsignedTailAllowance(-1, age);
    }

    /** Whether {@code tail} stays within the allowance at {@code now}. */
    public boolean permits(UnsignedTail tail, Instant now) {
        if (tail.isEmpty()) {
            return true;
        }
        if (age == null) {
            return tail.count() <= records;
        }
        try {
            return !Instant.parse(tail.oldestTime()).isBefore(now.minus(age));
        } catch (DateTimeParseException | NullPointerException unreadable) {
            return false;
        }
    }

    /** As given on the command line: {@code --allow-unsigned-tail 10000} / {@code 90s}. */
    public String describe() {
        if (age == null) {
            return records + (records == 1 ? " record" : " records");
        }
        return age.toMillis() % 1000 != 0 ? age.toMillis() + "ms" : age.toSeconds() + "s";
    }
}
