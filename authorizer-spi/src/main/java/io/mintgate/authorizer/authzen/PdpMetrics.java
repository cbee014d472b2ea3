package io.mintgate.authorizer.authzen;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one PDP channel, registered once when the channel is created so the token path only increments:
 * {@code mintgate_authzen_decisions_total{pdp, outcome}} and {@code mintgate_authzen_call_seconds{pdp}} (a histogram).
 */
final class PdpMetrics {

    /** Histogram buckets ({@code _bucket{le}}) for a network round trip: 1 ms to 5 s, past any sane PDP timeout. */
    static final java.time.Duration[] BUCKETS = java.util.stream.LongStream.of(1, 2, 5, 10, 25, 50, 100, 250, 500,
            1000, 2500, 5000).mapToObj(java.time.Duration::ofMillis).toArray(java.time.Duration[]::new);

    final Counter allowed;
    final Counter denied;
    final Counter cached;
    final Counter failed;
    final Counter circuitOpen;
    final Timer calls;

    PdpMetrics(MeterRegistry registry, String pdp) {
        allowed = outcome(registry, pdp, "allow");
        denied = outcome(registry, pdp, "deny");
        cached = outcome(registry, pdp, "cached");
        failed = outcome(registry, pdp, "error");
        circuitOpen = outcome(registry, pdp, "circuit_open");
        calls = Timer.builder("mintgate_authzen_call_seconds").tag("pdp", pdp)
                .description("Duration of AuthZEN calls to the PDP (cache hits excluded), failures included")
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    private static Counter outcome(MeterRegistry registry, String pdp, String outcome) {
        return Counter.builder("mintgate_authzen_decisions_total").tag("pdp", pdp).tag("outcome", outcome)
                .description("AuthZEN checks by outcome: allow/deny (PDP answered), cached (decision cache), error, circuit_open")
                .register(registry);
    }
}
