package io.mintgate.audit.ship;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: sleep a uniform random time in [0, min(cap, base * 2^attempt)].
 * Full jitter spreads the retries of many Keycloak nodes so a recovering collector is not hit in lockstep.
 */
public final class Backoff {
    private final long baseMs;
    private final long capMs;
    private int attempt;

    public Backoff(long baseMs, long capMs) {
        this.baseMs = baseMs;
        this.capMs = capMs;
    }

    public long nextDelayMs() {
        long ceiling = Math.min(capMs, baseMs << Math.min(attempt, 30));
        attempt++;
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    public void reset() {
        attempt = 0;
    }

    public int attempts() {
        return attempt;
    }
}
