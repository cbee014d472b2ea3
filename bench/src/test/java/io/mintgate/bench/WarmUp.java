package io.mintgate.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.mintgate.bench.LoadGenerator.Window;

/**
 * Warms one server up for one grant until its JIT compilers have gone quiet. A fixed warm-up was not enough on the
 * benchmark VM: after 180 s both servers' C2 threads still took 10–15% of their CPU during the measured rounds, and
 * Mintgate's (more code to compile) up to 0.2 ms per token more than vanilla's, which is warm-up, not what a server
 * that has run for an hour pays. After 600 s both were at 0–1.4%. So the load runs in steps of {@link #STEP}: at
 * least the configured minimum, then until the compiler threads used at most {@code quietShare} of the server's CPU
 * during the last step, and never longer than the maximum (the report says when a server was not quiet by then).
 */
final class WarmUp {

    static final Duration STEP = Duration.ofSeconds(30);

    /** Runs the grant's load on one server for the given time and measures the window. */
    @FunctionalInterface
    interface Load {
        Window run(Duration duration) throws Exception;
    }

    /** The whole warm-up of one server for one grant. */
    record Result(Window total, Duration elapsed, Duration lastStep, double lastCompilerShare, boolean quiet) {
    }

    private WarmUp() {
    }

    static Result run(Duration min, Duration max, double quietShare, Load load) throws Exception {
        List<Window> steps = new ArrayList<>();
        Duration elapsed = Duration.ZERO;
        Duration step;
        double share;
        boolean quiet;
        do {
            step = elapsed.plus(STEP).compareTo(max) > 0 ? max.minus(elapsed) : STEP;
            if (step.isZero() || step.isNegative()) {
                step = STEP; // a zero or negative maximum: still one step, a warm-up is never skipped
            }
            Window w = load.run(step);
            steps.add(w);
            elapsed = elapsed.plus(step);
            share = compilerShare(w);
            quiet = share <= quietShare;
        } while (elapsed.compareTo(max) < 0 && (elapsed.compareTo(min) < 0 || !quiet));
        return new Result(combine(steps), elapsed, step, share, quiet);
    }

    /** The share of the server's CPU its C1 and C2 compiler threads used in this window. */
    static double compilerShare(Window w) {
        if (w.cpuTicks() <= 0) {
            return 0;
        }
        long compiler = 0;
        for (Map.Entry<String, Long> group : w.serverThreadGroupTicks().entrySet()) {
            if (group.getKey().startsWith("C1 CompilerThre") || group.getKey().startsWith("C2 CompilerThre")) {
                compiler += group.getValue();
            }
        }
        return (double) compiler / w.cpuTicks();
    }

    /** One window for the whole warm-up: counts, ticks and thread groups added up, latencies merged. */
    static Window combine(List<Window> windows) {
        long requests = 0;
        long errors = 0;
        long nanos = 0;
        long server = 0;
        long loader = 0;
        long busy = 0;
        long total = 0;
        List<String> samples = new ArrayList<>();
        Map<String, Long> groups = new TreeMap<>();
        for (Window w : windows) {
            requests += w.requests();
            errors += w.errors();
            nanos += w.elapsedNanos();
            server += w.serverTicks();
            loader += w.loaderTicks();
            busy += w.machineBusyTicks();
            total += w.machineTotalTicks();
            if (samples.size() < 5) {
                samples.addAll(w.errorSamples().subList(0, Math.min(w.errorSamples().size(), 5 - samples.size())));
            }
            w.serverThreadGroupTicks().forEach((group, ticks) -> groups.merge(group, ticks, Long::sum));
        }
        return new Window(requests, errors, nanos, AbBenchmark.merged(windows), server, loader, busy, total,
                List.copyOf(samples), groups, windows.isEmpty() ? Instant.EPOCH : windows.get(0).startedAt(),
                windows.stream().mapToLong(Window::tailTicks).sum());
    }
}
