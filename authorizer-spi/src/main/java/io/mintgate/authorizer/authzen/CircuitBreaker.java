package io.mintgate.authorizer.authzen;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Stops calling a PDP that keeps failing: after {@code threshold} consecutive failures the circuit opens and
 * calls fail at once for the cool-down; then one probe call goes through (half-open): its success closes the
 * circuit, its failure opens it for another cool-down. Token requests meanwhile follow the rule's onError
 * without waiting for a timeout each.
 */
final class CircuitBreaker {

    private final int threshold;
    private final long coolDownNanos;
    private final LongSupplier clock;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean open;
    private volatile long openUntilNanos;

    CircuitBreaker(int threshold, Duration coolDown, LongSupplier nanoClock) {
        this.threshold = threshold;
        this.coolDownNanos = coolDown.toNanos();
        this.clock = nanoClock;
    }

    /** @return whether a call may be made now (closed, or the single probe of a half-open circuit) */
    boolean allowsCall() {
        if (!open) {
            return true;
        }
        if (clock.getAsLong() - openUntilNanos < 0) {
            return false;
        }
        return probing.compareAndSet(false, true);
    }

    void recordSuccess() {
        failures.set(0);
        open = false;
        probing.set(false);
    }

    /** @return true when this failure opened the circuit */
    boolean recordFailure() {
        int count = failures.incrementAndGet();
        if (probing.get() || count >= threshold) {
            boolean wasOpen = open;
            openUntilNanos = clock.getAsLong() + coolDownNanos;
            open = true;
            probing.set(false);
            return !wasOpen;
        }
        return false;
    }

    boolean isOpen() {
        return open;
    }
}
