package io.mintgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.mintgate.bench.LoadGenerator.Window;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    private static final Duration MIN = Duration.ofSeconds(90);
    private static final Duration MAX = Duration.ofSeconds(180);

    @Test
    void aQuietServerIsWarmedForTheMinimumOnly() throws Exception {
        List<Duration> asked = new ArrayList<>();
        WarmUp.Result r = WarmUp.run(MIN, MAX, 0.02, d -> {
            asked.add(d);
            return window(100, 1_000, 10);
        });

        assertThat(asked).containsExactly(WarmUp.STEP, WarmUp.STEP, WarmUp.STEP);
        assertThat(r.elapsed()).isEqualTo(MIN);
        assertThat(r.quiet()).isTrue();
        assertThat(r.lastCompilerShare()).isEqualTo(0.01);
        assertThat(r.total().requests()).isEqualTo(300);
        assertThat(r.total().serverThreadGroupTicks()).containsEntry("C2 CompilerThre", 30L).containsEntry("executor-thread", 2_970L);
    }

    @Test
    void aCompilingServerIsWarmedUntilItsJitGoesQuiet() throws Exception {
        double[] shares = {0.20, 0.15, 0.10, 0.05, 0.01};
        int[] call = {0};
        WarmUp.Result r = WarmUp.run(MIN, MAX, 0.02, d -> window(100, 1_000, (long) (shares[call[0]++] * 1_000)));

        assertThat(call[0]).isEqualTo(5);
        assertThat(r.elapsed()).isEqualTo(Duration.ofSeconds(150));
        assertThat(r.quiet()).isTrue();
    }

    @Test
    void aServerThatNeverGoesQuietStopsAtTheMaximumAndSaysSo() throws Exception {
        WarmUp.Result r = WarmUp.run(MIN, Duration.ofSeconds(100), 0.02, d -> window(100, 1_000, 300));

        assertThat(r.elapsed()).isEqualTo(Duration.ofSeconds(100)); // three steps and a 10 s one
        assertThat(r.lastStep()).isEqualTo(Duration.ofSeconds(10));
        assertThat(r.quiet()).isFalse();
        assertThat(r.lastCompilerShare()).isEqualTo(0.3);
        assertThat(r.total().requests()).isEqualTo(400);
    }

    @Test
    void c1AndC2ThreadsBothCountAsCompilers() {
        Window w = new Window(1, 0, 1, new Histogram(3), 1_000, 0, 0, 0, List.of(),
                Map.of("C1 CompilerThre", 10L, "C2 CompilerThre", 40L, "executor-thread", 950L), Instant.EPOCH, 0);
        assertThat(WarmUp.compilerShare(w)).isEqualTo(0.05);
    }

    private static Window window(long requests, long serverTicks, long compilerTicks) {
        Histogram latency = new Histogram(60_000_000L, 3);
        latency.recordValue(1_000);
        return new Window(requests, 0, Duration.ofSeconds(30).toNanos(), latency, serverTicks, 10, serverTicks + 10,
                serverTicks * 2, List.of(), Map.of("C2 CompilerThre", compilerTicks, "executor-thread", serverTicks - compilerTicks),
                Instant.EPOCH, 0);
    }
}
