package io.mintgate.audit.keycloak;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimeTest {
    @Test
    void formatsEveryEventTimeExactlyAsInstantToStringDoes() {
        long[] edges = {0, 1, 999, 1000, 1001, -1, -999, -1000, -1001, 1_795_000_000_000L, 1_795_000_000_010L,
                1_795_000_000_100L, 1_795_000_000_999L, 253_402_300_799_999L, 253_402_300_800_000L, -62_167_219_200_001L};
        for (long millis : edges) {
            assertThat(EventTime.rfc3339(millis)).as("%d", millis).isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
        SplittableRandom random = new SplittableRandom(7);
        long now = 1_795_000_000_000L;
        for (int i = 0; i < 20_000; i++) {
            // Mostly neighbouring times (the cached second), sometimes far away.
            long millis = i % 10 == 0 ? random.nextLong(-10_000_000_000_000L, 10_000_000_000_000L)
                    : now + random.nextLong(0, 3_000);
            assertThat(EventTime.rfc3339(millis)).as("%d", millis).isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
    }
}
