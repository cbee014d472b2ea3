package io.mintgate.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from Linux {@code /proc}: a process's user+system time ({@code /proc/<pid>/stat} fields 14 and 15,
 * which include its finished-thread time but not its children's) and the whole machine's busy time
 * ({@code /proc/stat}), both in clock ticks.
 */
final class ProcCpu {

    /** USER_HZ; 100 on every mainstream Linux, read from {@code getconf CLK_TCK} when available. */
    static final long CLK_TCK = clockTicks();

    private ProcCpu() {
    }

    /** utime + stime of one process, in ticks. */
    static long processTicks(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name (field 2) is in parentheses and may contain spaces: split after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state), so field 14 (utime) is f[11] and field 15 (stime) is f[12]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** {busy, total} ticks of all CPUs since boot; busy excludes idle and iowait. */
    static long[] machineTicks() {
        String first = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow();
        String[] f = first.trim().split("\\s+");
        long total = 0;
        // cpu user nice system idle iowait irq softirq steal [guest guest_nice: already in user/nice]
        for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new long[] {total - idle, total};
    }

    static double ticksToMillis(long ticks) {
        return ticks * 1000.0 / CLK_TCK;
    }

    static String loadAverage() {
        String[] f = read(Path.of("/proc/loadavg")).trim().split("\\s+");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (Exception e) {
            return 100;
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
