package io.mintgate.authorizer.keycloak.lifecycle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes an identity's approaching end visible before it bites: for every mint of an NHI whose expiry falls within
 * the warning window (or has passed), a gauge {@code mintgate_nhi_expiry_seconds{realm,client}} holds the seconds
 * left (negative once expired) and {@code mintgate_nhi_expiring_mints_total{realm,client}} counts the mints.
 * Only identities inside the window get a series, so the label set stays small. On Keycloak's management port
 * ({@code /metrics}, with {@code --metrics-enabled=true}).
 */
public final class NhiExpiryMetrics {

    /** Default warning window; server option {@code --spi-client-policy-executor--issuance-authorizer--expiry-warning=P14D}. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(14);

    private static volatile NhiExpiryMetrics instance = new NhiExpiryMetrics(Metrics.globalRegistry, DEFAULT_WINDOW);

    private final MeterRegistry registry;
    private final Duration window;
    private final long windowSeconds;
    private final int windowNanos;
    private final Map<String, Series> series = new ConcurrentHashMap<>();

    NhiExpiryMetrics(MeterRegistry registry, Duration window) {
        this.registry = registry;
        this.window = window;
        this.windowSeconds = window.getSeconds();
        this.windowNanos = window.getNano();
    }

    public static NhiExpiryMetrics get() {
        return instance;
    }

    /** Called once at boot with the server option. */
    public static void configure(Duration window) {
        instance = new NhiExpiryMetrics(Metrics.globalRegistry, window);
    }

    /** Records one mint attempt; cheap when the identity has no expiry or is far from it (one comparison). */
    public void mint(String realm, String clientId, Instant expiresAt, Instant now) {
        if (expiresAt == null || beyondWindow(expiresAt, now)) {
            return;
        }
        Series s = series.computeIfAbsent(realm + '\u0000' + clientId, k -> new Series(registry, realm, clientId));
        s.secondsLeft.set(Duration.between(now, expiresAt).getSeconds());
        s.mints.increment();
    }

    /**
     * {@code expiresAt.isAfter(now.plus(window))} in plain arithmetic: on the token path {@code Instant.plus(Duration)}
     * (an interface call through {@code Duration.addTo}) showed in the server's CPU profile. A window so long that the
     * sum overflows puts every expiry inside it, as it would be.
     */
    private boolean beyondWindow(Instant expiresAt, Instant now) {
        long limitSeconds;
        try {
            limitSeconds = Math.addExact(now.getEpochSecond(), windowSeconds);
        } catch (ArithmeticException overflow) {
            return false;
        }
        long limitNanos = (long) now.getNano() + windowNanos;
        if (limitNanos >= 1_000_000_000L) {
            limitSeconds++;
            limitNanos -= 1_000_000_000L;
        }
        return expiresAt.getEpochSecond() > limitSeconds
                || expiresAt.getEpochSecond() == limitSeconds && expiresAt.getNano() > limitNanos;
    }

    public Duration window() {
        return window;
    }

    private static final class Series {
        final AtomicLong secondsLeft = new AtomicLong();
        final Counter mints;

        Series(MeterRegistry registry, String realm, String clientId) {
            Gauge.builder("mintgate_nhi_expiry_seconds", secondsLeft, AtomicLong::doubleValue)
                    .tag("realm", realm).tag("client", clientId)
                    .description("Seconds until this non-human identity expires (negative: expired), for identities"
                            + " inside the expiry warning window that asked for a token")
                    .register(registry);
            mints = Counter.builder("mintgate_nhi_expiring_mints_total").tag("realm", realm).tag("client", clientId)
                    .description("Token requests of non-human identities inside the expiry warning window or expired")
                    .register(registry);
        }
    }
}
