package io.mintgate.audit.spool;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CpuSaturationTest {
    private final AtomicLong cpu = new AtomicLong();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private double machine = 0.1;
    private final CpuSaturation saturation = new CpuSaturation(cpu::get, () -> machine, clock::get, 2);

    @Test
    void busyWhenTheProcessUsesNearlyAllItsCpus() {
        advance(CpuSaturation.PERIOD_NANOS, 2 * CpuSaturation.PERIOD_NANOS * 9 / 10);
        assertThat(saturation.saturated()).isTrue();
    }

    @Test
    void notBusyBelowTheThreshold() {
        advance(CpuSaturation.PERIOD_NANOS, 2 * CpuSaturation.PERIOD_NANOS * 8 / 10);
        assertThat(saturation.saturated()).isFalse();
    }

    @Test
    void keepsItsVerdictWithinASamplePeriodAndFollowsTheLoadAfterIt() {
        advance(CpuSaturation.PERIOD_NANOS, 2 * CpuSaturation.PERIOD_NANOS);
        assertThat(saturation.saturated()).isTrue();
        // Idle for half a period: too early to sample again, still busy.
        advance(CpuSaturation.PERIOD_NANOS / 2, 0);
        assertThat(saturation.saturated()).isTrue();
        // A whole period since the last sample at a tenth of one CPU: no longer busy.
        advance(CpuSaturation.PERIOD_NANOS / 2, CpuSaturation.PERIOD_NANOS / 10);
        assertThat(saturation.saturated()).isFalse();
    }

    @Test
    void busyWhenOthersKeepTheMachineBusy() {
        machine = 0.95;
        advance(CpuSaturation.MACHINE_PERIOD_NANOS, CpuSaturation.PERIOD_NANOS / 10);
        assertThat(saturation.saturated()).isTrue();
    }

    @Test
    void readsTheMachinesLoadAtMostOncePerMachinePeriod() {
        AtomicInteger machineReadings = new AtomicInteger();
        CpuSaturation counted = new CpuSaturation(cpu::get, () -> {
            machineReadings.incrementAndGet();
            return machine;
        }, clock::get, 2);
        machineReadings.set(0);
        machine = 0.95;
        for (int i = 0; i < 9; i++) {
            advance(CpuSaturation.PERIOD_NANOS, CpuSaturation.PERIOD_NANOS / 10);
            assertThat(counted.saturated()).as("sample %d, before the machine period", i).isFalse();
        }
        advance(CpuSaturation.PERIOD_NANOS, CpuSaturation.PERIOD_NANOS / 10);
        assertThat(counted.saturated()).isTrue();
        assertThat(machineReadings).hasValue(1);
        // The machine's verdict holds for its period while the process's own share is sampled every period.
        machine = 0.1;
        advance(CpuSaturation.PERIOD_NANOS, CpuSaturation.PERIOD_NANOS / 10);
        assertThat(counted.saturated()).isTrue();
        advance(CpuSaturation.MACHINE_PERIOD_NANOS, CpuSaturation.PERIOD_NANOS / 10);
        assertThat(counted.saturated()).isFalse();
        assertThat(machineReadings).hasValue(2);
    }

    @Test
    void aPlatformWithoutCpuFiguresIsNeverBusy() {
        CpuSaturation noClock = new CpuSaturation(() -> 0L, () -> -1, clock::get, 2);
        clock.addAndGet(10 * CpuSaturation.PERIOD_NANOS);
        assertThat(noClock.saturated()).isFalse();
    }

    private void advance(long wallNanos, long cpuNanos) {
        clock.addAndGet(wallNanos);
        cpu.addAndGet(cpuNanos);
    }
}
