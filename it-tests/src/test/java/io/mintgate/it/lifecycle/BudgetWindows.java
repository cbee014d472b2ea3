package io.mintgate.it.lifecycle;

import java.time.Duration;
import java.time.Instant;

/**
 * The epoch-aligned windows the server counts in (docs/policy-reference.md, "Issuance budgets"), computed on the
 * test's side of the same clock: a test starts its burst early in a window, so all of it lands in one window,
 * and checks that the reset the server reports is that window's end.
 */
final class BudgetWindows {

    private BudgetWindows() {
    }

    static Instant endOfWindowAt(Instant time, Duration window) {
        long seconds = window.getSeconds();
        return Instant.ofEpochSecond((Math.floorDiv(time.getEpochSecond(), seconds) + 1) * seconds);
    }

    /** Waits until the current window has at least {@code needed} left; returns the end of that window. */
    static Instant windowWithAtLeast(Duration window, Duration needed) {
        Instant end = endOfWindowAt(Instant.now(), window);
        if (Duration.between(Instant.now(), end).compareTo(needed) < 0) {
            sleepUntil(end.plusMillis(50));
            end = endOfWindowAt(Instant.now(), window);
        }
        return end;
    }

    static void sleepUntil(Instant instant) {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
