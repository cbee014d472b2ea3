package io.mintgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.mintgate.bench.LoadGenerator.Window;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ScheduleAndComparisonTest {

    @Test
    void aSimultaneousWindowDoesNotCountTheOtherServerAsOthers() {
        // 10 s, 100 ticks/s: A used 900 ticks, B 800, the loader 150, the machine 1,900 busy of 2,000
        Window a = window(900, 150, 1_900);
        Window b = window(800, 150, 1_900);
        Window adjusted = AbBenchmark.withoutOtherServer(a, b);
        // 1,900 - 800 (B) - 900 (A) - 150 (loader) = 50 ticks in 10 s
        assertThat(adjusted.otherCores()).isCloseTo(ProcCpu.ticksToMillis(50) / 1000.0 / 10, offset(1e-9));
        assertThat(a.otherCores()).isCloseTo(ProcCpu.ticksToMillis(850) / 1000.0 / 10, offset(1e-9));
        assertThat(adjusted.serverTicks()).isEqualTo(900);
        assertThat(adjusted.requests()).isEqualTo(a.requests());
    }

    @Test
    void theCpuRatioIsAsCpuPerRequestOverBsPerRound() {
        AbBenchmark.GrantResult r = new AbBenchmark.GrantResult();
        r.a.add(window(1_000, 0, 0));   // 1,000 ticks for 5,000 requests
        r.b.add(window(1_250, 0, 0));   // 1,250 ticks for 5,000 requests: 25% more CPU per request
        assertThat(AbBenchmark.cpuRatioPerRound(r)).containsExactly(0.8);
    }

    @Test
    void theCpuAfterAWindowCountsToItsRequestsButNotToItsCores() {
        // 10 s window, 1,000 ticks under load and 100 in the settling pause after it, 5,000 requests
        Window w = window(1_000, 0, 1_000, 5_000, 100);
        assertThat(w.serverCpuMsPerRequest()).isCloseTo(ProcCpu.ticksToMillis(1_100) / 5_000, offset(1e-9));
        assertThat(w.serverCores()).isCloseTo(ProcCpu.ticksToMillis(1_000) / 1000.0 / 10, offset(1e-9));
        assertThat(AbBenchmark.cpuPerRequest(List.of(w, w))).isCloseTo(ProcCpu.ticksToMillis(2_200) / 10_000, offset(1e-9));
    }

    @Test
    void theMeanRatioComesWithItsConfidenceInterval() {
        // mean 1.0; sample variance 0.02 / 3, SD 0.0816; over 4 rounds 1.96 * 0.0816 / 2 = 0.080
        assertThat(AbBenchmark.meanWithInterval(List.of(0.9, 1.0, 1.0, 1.1))).isEqualTo("mean 1.000 ± 0.080");
        assertThat(AbBenchmark.meanWithInterval(List.of(0.95))).isEqualTo("mean 0.950");
    }

    @Test
    void theForkSummaryGivesEachForksOwnMedians() {
        AbBenchmark.GrantResult r = new AbBenchmark.GrantResult();
        // fork 1: B as fast as A; fork 2: B 10% slower, on 25% more CPU
        for (int round = 0; round < 2; round++) {
            r.a.add(window(1_000, 0, 0, 5_000));
            r.b.add(window(1_000, 0, 0, 5_000));
            r.fork.add(1);
        }
        for (int round = 0; round < 2; round++) {
            r.a.add(window(1_000, 0, 0, 5_000));
            r.b.add(window(1_125, 0, 0, 4_500));
            r.fork.add(2);
        }
        String summary = AbBenchmark.forkSummary(new java.util.EnumMap<>(Map.of(BenchGrants.Grant.CLIENT_CREDENTIALS, r)),
                Comparison.SAME);
        assertThat(summary).contains("client_credentials fork 1 1.000 (1.000), fork 2 0.900 (0.800)");
    }

    @Test
    void eachComparisonSaysWhatServerBRuns() {
        // mintgateOnB, policyOnB, auditOnB, mintgateOnA
        assertThat(List.of(Comparison.VANILLA.mintgateOnB(), Comparison.VANILLA.policyOnB(), Comparison.VANILLA.auditOnB(), Comparison.VANILLA.mintgateOnA()))
                .containsExactly(true, true, true, false);
        assertThat(List.of(Comparison.NARROWING.mintgateOnB(), Comparison.NARROWING.policyOnB(), Comparison.NARROWING.auditOnB(), Comparison.NARROWING.mintgateOnA()))
                .containsExactly(true, true, true, true);
        assertThat(List.of(Comparison.SAME.mintgateOnB(), Comparison.SAME.policyOnB(), Comparison.SAME.auditOnB(), Comparison.SAME.mintgateOnA()))
                .containsExactly(false, false, false, false);
        assertThat(List.of(Comparison.INSTALLED.mintgateOnB(), Comparison.INSTALLED.policyOnB(), Comparison.INSTALLED.auditOnB(), Comparison.INSTALLED.mintgateOnA()))
                .containsExactly(true, false, false, false);
        assertThat(List.of(Comparison.POLICY.mintgateOnB(), Comparison.POLICY.policyOnB(), Comparison.POLICY.auditOnB()))
                .containsExactly(true, true, false);
        assertThat(List.of(Comparison.AUDIT.mintgateOnB(), Comparison.AUDIT.policyOnB(), Comparison.AUDIT.auditOnB()))
                .containsExactly(true, false, true);
        assertThat(Comparison.of(" Same ")).isEqualTo(Comparison.SAME);
        assertThatThrownBy(() -> Comparison.of("aa")).hasMessageContaining("vanilla, narrowing, same, installed, policy, audit");
    }

    private static Window window(long serverTicks, long loaderTicks, long machineBusy) {
        return window(serverTicks, loaderTicks, machineBusy, 5_000);
    }

    private static Window window(long serverTicks, long loaderTicks, long machineBusy, long requests) {
        return window(serverTicks, loaderTicks, machineBusy, requests, 0);
    }

    /** A 10 s window of a machine with 2,000 ticks in all. */
    private static Window window(long serverTicks, long loaderTicks, long machineBusy, long requests, long tailTicks) {
        Histogram latency = new Histogram(60_000_000L, 3);
        latency.recordValue(1_000);
        return new Window(requests, 0, Duration.ofSeconds(10).toNanos(), latency, serverTicks, loaderTicks, machineBusy,
                2_000, List.of(), Map.of(), Instant.EPOCH, tailTicks);
    }
}
