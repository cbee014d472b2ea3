package io.mintgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

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

    /**
     * utime + stime of each live thread of a process, summed per thread group: the thread's name
     * ({@code /proc/<pid>/task/<tid>/comm}, which Linux cuts at 15 characters) without its trailing number, so that
     * "executor-thread-7", "GC Thread#1" and "C2 CompilerThread0" count as "executor-thread", "GC Thread" and "C2
     * CompilerThread". Threads that ended since are not listed (their time stays in {@link #processTicks}).
     */
    static Map<String, Long> threadGroupTicks(long pid) {
        Map<String, Long> groups = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    groups.merge(threadGroup(name), Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException threadEnded) {
                    // the thread ended between the listing and the read: its time is in the process total
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return groups;
    }

    static String threadGroup(String name) {
        String group = name.replaceAll("[-#_ ]*\\d+$", "");
        return group.isEmpty() ? name : group;
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
