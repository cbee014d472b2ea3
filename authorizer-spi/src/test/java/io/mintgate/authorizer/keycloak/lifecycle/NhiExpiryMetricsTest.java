package io.mintgate.authorizer.keycloak.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The window test on the token path gives what {@code expiresAt.isAfter(now.plus(window))} gives. */
class NhiExpiryMetricsTest {

    @Test
    void aMintIsCountedExactlyWhenTheExpiryFallsInsideTheWindow() {
        SplittableRandom random = new SplittableRandom(7);
        Duration[] windows = {Duration.ofDays(14), Duration.ZERO, Duration.ofMillis(1500), Duration.ofNanos(999_999_999),
                Duration.ofSeconds(3, 999_999_999), Duration.ofDays(-1)};
        for (int i = 0; i < 20_000; i++) {
            Duration window = windows[random.nextInt(windows.length)];
            Instant now = Instant.ofEpochSecond(1_790_000_000L + random.nextInt(1000), random.nextInt(1_000_000_000));
            Instant expiresAt = now.plus(window).plusNanos(random.nextLong(-2_000_000_000L, 2_000_000_000L));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new NhiExpiryMetrics(registry, window).mint("r", "c", expiresAt, now);
            boolean counted = registry.find("mintgate_nhi_expiring_mints_total").counter() != null;
            assertThat(counted).as("window %s now %s expires %s", window, now, expiresAt)
                    .isEqualTo(!expiresAt.isAfter(now.plus(window)));
        }
    }

    @Test
    void aWindowTooLongToAddCountsEveryExpiry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new NhiExpiryMetrics(registry, Duration.ofSeconds(Long.MAX_VALUE - 10))
                .mint("r", "c", Instant.MAX, Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(registry.find("mintgate_nhi_expiring_mints_total").counter().count()).isEqualTo(1.0);
    }
}
