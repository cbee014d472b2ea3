package io.mintgate.authorizer.policy.budget;

import java.time.Duration;
import java.time.Instant;

/**
 * A fixed issuance window aligned to the Unix epoch ({@code PT1H} windows start on the hour, UTC; {@code P1D} at
 * midnight UTC). Fixed windows need one counter per key and window, and their reset instant is exact and the same
 * on every node, so a refusal can say when the budget comes back.
 */
public record BudgetWindow(Duration length) {

    public static final Duration SHORTEST = Duration.ofSeconds(1);
    public static final Duration LONGEST = Duration.ofDays(366);

    public BudgetWindow {
        if (length.compareTo(SHORTEST) < 0 || length.compareTo(LONGEST) > 0 || length.getNano() != 0) {
            throw new IllegalArgumentException("window must be whole seconds between " + SHORTEST + " and " + LONGEST);
        }
    }

    /** The window {@code time} falls in: its index since the epoch and the instant it ends (= the next one starts). */
    public Span spanAt(Instant time) {
        long seconds = length.getSeconds();
        long index = Math.floorDiv(time.getEpochSecond(), seconds);
        return new Span(index, Instant.ofEpochSecond((index + 1) * seconds));
    }

    /** One window: {@code index} counts windows since the epoch; {@code resetsAt} is exclusive. */
    public record Span(long index, Instant resetsAt) {
    }
}
