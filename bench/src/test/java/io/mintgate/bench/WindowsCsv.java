package io.mintgate.bench;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.mintgate.bench.LoadGenerator.Window;

/**
 * Every measured window on its own line (grant, round, server, throughput, latency, CPU per request and each
 * thread group's CPU per request), for finding out what a slow window spent its CPU on: the report's tables
 * aggregate over rounds, which hides whether one server's slow windows share a cause (GC, JIT, a Mintgate thread).
 */
final class WindowsCsv {

    private WindowsCsv() {
    }

    /**
     * One grant's windows; {@code a} and {@code b} are in round order, as the benchmark measured them, and
     * {@code forks} gives each round's fork (empty: all fork 1).
     */
    record GrantWindows(String grant, List<Window> a, List<Window> b, List<Integer> forks) {
    }

    static String render(String serverA, String serverB, List<GrantWindows> grants) {
        // only groups that used at least one tick in some window (a server has ~40 groups, most idle)
        Set<String> groups = new TreeSet<>();
        for (GrantWindows g : grants) {
            for (Window w : Stream.concat(g.a().stream(), g.b().stream()).toList()) {
                w.serverThreadGroupTicks().forEach((group, ticks) -> {
                    if (ticks > 0) {
                        groups.add(group);
                    }
                });
            }
        }
        StringBuilder csv = new StringBuilder("grant,fork,round,server,started_utc,req_per_s,p50_ms,p99_ms,errors,server_cpu_ms_per_req");
        groups.forEach(group -> csv.append(',').append(column(group)));
        csv.append('\n');
        for (GrantWindows g : grants) {
            for (int i = 0; i < Math.max(g.a().size(), g.b().size()); i++) {
                int fork = i < g.forks().size() ? g.forks().get(i) : 1;
                if (i < g.a().size()) {
                    line(csv, g.grant(), fork, i + 1, serverA, g.a().get(i), groups);
                }
                if (i < g.b().size()) {
                    line(csv, g.grant(), fork, i + 1, serverB, g.b().get(i), groups);
                }
            }
        }
        return csv.toString();
    }

    private static void line(StringBuilder csv, String grant, int fork, int round, String server, Window w,
                             Set<String> groups) {
        csv.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%s,%.1f,%.2f,%.2f,%d,%.3f", grant, fork, round, server,
                w.startedAt().truncatedTo(ChronoUnit.MILLIS), w.throughput(),
                w.latencyMicros().getValueAtPercentile(50) / 1000.0, w.latencyMicros().getValueAtPercentile(99) / 1000.0,
                w.errors(), w.serverCpuMsPerRequest()));
        Map<String, Long> ticks = w.serverThreadGroupTicks();
        for (String group : groups) {
            long t = ticks.getOrDefault(group, 0L);
            csv.append(String.format(Locale.ROOT, ",%.3f", w.requests() == 0 ? 0.0 : ProcCpu.ticksToMillis(t) / w.requests()));
        }
        csv.append('\n');
    }

    /** Thread-group names are /proc comm prefixes (letters, digits, spaces, dashes); a column name has no spaces. */
    private static String column(String group) {
        return group.trim().replace(' ', '_').replace(',', '_') + "_ms_per_req";
    }
}
