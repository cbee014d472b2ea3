package io.mintgate.audit.spool;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Whether CPU is scarce for this JVM: its process used nearly all the CPUs it may use over the last sample period,
 * or the machine (the container, where the JVM sees one) was nearly fully busy over its last, longer one. The spool
 * writer asks before each batch to choose its commit window: while the CPUs are the bottleneck, fewer
 * write-and-fsync cycles are CPU given back to token requests; otherwise the shorter window keeps latency low.
 * The process's CPU is sampled at most once per {@link #PERIOD_NANOS}, the machine's at most once per
 * {@link #MACHINE_PERIOD_NANOS} (in a container the JVM reads several cgroup files for it, ~0.2 ms of CPU per
 * reading), so asking mostly costs a clock read. Writer thread only.
 */
final class CpuSaturation {
    /** Long enough to span many batches, short enough to follow a burst within a fraction of a second. */
    static final long PERIOD_NANOS = 100_000_000L;
    /** The machine's load changes the verdict at most this often: reading it is dearer than the process's CPU time. */
    static final long MACHINE_PERIOD_NANOS = 1_000_000_000L;
    /** Share of the available CPUs above which the process counts as saturated. */
    static final double THRESHOLD = 0.85;

    private final LongSupplier processCpuNanos;
    private final DoubleSupplier machineLoad;
    private final LongSupplier clock;
    private final int processors;
    private long sampledAt;
    private long cpuAtSample;
    private boolean saturated;
    private long machineSampledAt;
    private boolean machineBusy;

    /**
     * @param machineLoad the machine's CPU use since its previous call, 0 to 1, negative when unknown
     */
    CpuSaturation(LongSupplier processCpuNanos, DoubleSupplier machineLoad, LongSupplier clock, int processors) {
        this.processCpuNanos = processCpuNanos;
        this.machineLoad = machineLoad;
        this.clock = clock;
        this.processors = Math.max(1, processors);
        this.sampledAt = clock.getAsLong();
        this.cpuAtSample = processCpuNanos.getAsLong();
        this.machineSampledAt = sampledAt;
        machineLoad.getAsDouble();
    }

    /**
     * This process and machine as the JVM sees them (container CPU limits included); a platform that reports neither
     * is never saturated.
     */
    static CpuSaturation ofThisProcess() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return new CpuSaturation(() -> Math.max(0, sun.getProcessCpuTime()), sun::getCpuLoad, System::nanoTime,
                    Runtime.getRuntime().availableProcessors());
        }
        return new CpuSaturation(() -> 0L, () -> -1, System::nanoTime, 1);
    }

    boolean saturated() {
        long now = clock.getAsLong();
        long elapsed = now - sampledAt;
        if (elapsed >= PERIOD_NANOS) {
            long cpu = processCpuNanos.getAsLong();
            double processShare = (double) (cpu - cpuAtSample) / ((double) elapsed * processors);
            if (now - machineSampledAt >= MACHINE_PERIOD_NANOS) {
                machineBusy = machineLoad.getAsDouble() >= THRESHOLD;
                machineSampledAt = now;
            }
            saturated = processShare >= THRESHOLD || machineBusy;
            sampledAt = now;
            cpuAtSample = cpu;
        }
        return saturated;
    }
}
