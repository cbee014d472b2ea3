package io.mintgate.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Histogram;

/**
 * Closed-loop load: N threads, each sends its next request as soon as the previous one answered (HTTP/1.1
 * keep-alive through one {@code java.net.http.HttpClient} per server). Latency per request goes into an
 * HdrHistogram in microseconds; anything but HTTP 200 (or an exception) is an error. The server's CPU time, the
 * loader's own and the machine's are read right before the threads are released and right after the last one
 * stopped.
 */
final class LoadGenerator {

    /** One thread's client state for one grant (its refresh token, SSO cookies, ...). */
    interface Worker {
        /** Obtains what the calls need (not measured); called before every window. */
        void prepare() throws Exception;

        /** One measured operation; returns the HTTP status of the token response. */
        int call() throws Exception;

        /** The last response body, for error reports. */
        String lastBody();
    }

    /**
     * What one window measured. {@code serverTicks} is the server's CPU while the load ran; {@code tailTicks} its CPU during the settling pause
     * right after, which is work the window's requests left behind (the audit writer and shipper finishing their
     * batches, GC, JIT) and is counted to them: with short windows a fair share of an asynchronous pipeline's work
     * would otherwise fall outside every window. {@code serverThreadGroupTicks} covers both.
     */
    record Window(long requests, long errors, long elapsedNanos, Histogram latencyMicros,
                  long serverTicks, long loaderTicks, long machineBusyTicks, long machineTotalTicks,
                  List<String> errorSamples, Map<String, Long> serverThreadGroupTicks, Instant startedAt,
                  long tailTicks) {

        double throughput() {
            return requests / (elapsedNanos / 1e9);
        }

        /** The server's CPU caused by the window: during the load and in the settling pause after it. */
        long cpuTicks() {
            return serverTicks + tailTicks;
        }

        double serverCpuMsPerRequest() {
            return requests == 0 ? Double.NaN : ProcCpu.ticksToMillis(cpuTicks()) / requests;
        }

        double seconds() {
            return elapsedNanos / 1e9;
        }

        /** Cores used by the server under test, on average over the window. */
        double serverCores() {
            return ProcCpu.ticksToMillis(serverTicks) / 1000.0 / seconds();
        }

        double loaderCores() {
            return ProcCpu.ticksToMillis(loaderTicks) / 1000.0 / seconds();
        }

        /** Cores used by everything else on the machine (other engineers' builds, the idle other server, ...). */
        double otherCores() {
            return ProcCpu.ticksToMillis(machineBusyTicks - serverTicks - loaderTicks) / 1000.0 / seconds();
        }
    }

    private static final long MAX_LATENCY_MICROS = Duration.ofSeconds(60).toNanos() / 1000;

    private LoadGenerator() {
    }

    static Window run(List<Worker> workers, Duration duration, long serverPid) throws Exception {
        return run(workers, duration, serverPid, () -> { }, () -> { }, Duration.ZERO);
    }

    /**
     * The same, with {@code beforeStart} run once the workers are prepared, right before the CPU readings that open
     * the window, and {@code afterEnd} right after those that close it (a profiler started and stopped around the
     * measured window only, its own start and stop outside it). After the window, the server is left alone for
     * {@code tail}, and its CPU then is the window's {@code tailTicks}.
     */
    static Window run(List<Worker> workers, Duration duration, long serverPid, Runnable beforeStart, Runnable afterEnd,
                      Duration tail) throws Exception {
        for (Worker worker : workers) {
            worker.prepare();
        }
        long loaderPid = ProcessHandle.current().pid();
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger ready = new AtomicInteger();
        Histogram[] histograms = new Histogram[workers.size()];
        long[] counts = new long[workers.size()];
        long[] errors = new long[workers.size()];
        ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        long[] deadline = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            int index = i;
            Worker worker = workers.get(i);
            Histogram histogram = new Histogram(MAX_LATENCY_MICROS, 3);
            histograms[i] = histogram;
            Thread thread = new Thread(() -> {
                ready.incrementAndGet();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = deadline[0];
                long n = 0;
                long failed = 0;
                while (true) {
                    long started = System.nanoTime();
                    if (started - end >= 0) {
                        break;
                    }
                    int status;
                    String error = null;
                    try {
                        status = worker.call();
                        if (status != 200) {
                            error = "HTTP " + status + ": " + abbreviate(worker.lastBody());
                        }
                    } catch (Exception e) {
                        status = -1;
                        error = e.toString();
                    }
                    long micros = (System.nanoTime() - started) / 1000;
                    histogram.recordValue(Math.min(Math.max(micros, 1), MAX_LATENCY_MICROS));
                    n++;
                    if (error != null) {
                        failed++;
                        if (samples.size() < 5) {
                            samples.add(error);
                        }
                    }
                }
                counts[index] = n;
                errors[index] = failed;
            }, "load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        while (ready.get() < workers.size()) {
            Thread.onSpinWait();
        }
        beforeStart.run();
        Map<String, Long> groupsBefore = ProcCpu.threadGroupTicks(serverPid);
        long serverBefore = ProcCpu.processTicks(serverPid);
        long loaderBefore = ProcCpu.processTicks(loaderPid);
        long[] machineBefore = ProcCpu.machineTicks();
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        deadline[0] = started + duration.toNanos();
        go.countDown(); // the latch publishes deadline[0] to the workers
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - started;
        long serverAfter = ProcCpu.processTicks(serverPid);
        long loaderTicks = ProcCpu.processTicks(loaderPid) - loaderBefore;
        long[] machineAfter = ProcCpu.machineTicks();
        afterEnd.run();
        long tailTicks = 0;
        if (!tail.isZero()) {
            Thread.sleep(tail.toMillis());
            tailTicks = ProcCpu.processTicks(serverPid) - serverAfter;
        }
        Map<String, Long> groups = new TreeMap<>();
        ProcCpu.threadGroupTicks(serverPid).forEach((group, ticks) ->
                groups.put(group, ticks - groupsBefore.getOrDefault(group, 0L)));

        Histogram all = new Histogram(MAX_LATENCY_MICROS, 3);
        long requests = 0;
        long failed = 0;
        for (int i = 0; i < workers.size(); i++) {
            all.add(histograms[i]);
            requests += counts[i];
            failed += errors[i];
        }
        return new Window(requests, failed, elapsed, all, serverAfter - serverBefore, loaderTicks,
                machineAfter[0] - machineBefore[0], machineAfter[1] - machineBefore[1], List.copyOf(samples), groups,
                startedAt, tailTicks);
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
