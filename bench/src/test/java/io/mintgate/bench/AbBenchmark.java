package io.mintgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.bench.BenchGrants.Grant;
import io.mintgate.bench.BenchGrants.Target;
import io.mintgate.bench.LoadGenerator.Window;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.DistributionKeycloak;
import io.mintgate.it.harness.KafkaBroker;
import io.mintgate.it.harness.OidcClient;
import org.HdrHistogram.Histogram;

/**
 * Two Keycloak servers side by side in one run (run by {@code ./mvnw -B -Pbench verify -pl bench -am}): by default
 * Mintgate against vanilla Keycloak, with {@code -Dbench.compare=narrowing} Mintgate with its policy's obligations
 * against the same policy without them ({@link Comparison}).
 *
 * <p>Two copies of the same distribution, built with identical options; in the default comparison the Mintgate
 * bundle only in the second. Both servers stay up, but only the one under test is loaded: for every grant each
 * server is warmed up, then the rounds alternate A and B (the one that goes first alternates too, so a drift in the
 * machine's load hits both). The result that matters is the per-round throughput ratio and the CPU per request;
 * absolute figures move with the machine.
 */
public final class AbBenchmark {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Start options only the Mintgate server gets: the audit listener's sinks (the spool is always on). */
    static final String AUDIT_OPTION = "--spi-events-listener--mintgate-audit--";
    static final String KAFKA_TOPIC = "mintgate-audit";

    static final java.nio.file.attribute.FileTime PINNED_PROVIDER_TIME =
            java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-01-01T00:00:00Z"));

    static final String DEFAULT_GRANTS = "client_credentials,refresh_token,token_exchange,authorization_code";

    /**
     * {@code vanillaHome} is server A's distribution and {@code mintgateHome} server B's (named after the default
     * comparison; in the narrowing comparison both run Mintgate).
     */
    record Config(Comparison compare, Path dir, Path vanillaHome, Path mintgateHome, Duration warmup,
                  Duration warmupMax, double jitQuiet, int rounds, Duration duration, int concurrency, List<Grant> grants,
                  Path report, Path doc, boolean updateDoc, String command, boolean profile, Path profilerLibrary,
                  boolean kafka, boolean simultaneous, int forks, Duration settle) {

        static Config fromSystemProperties() {
            Path dir = Path.of(required("bench.dir"));
            Comparison compare = Comparison.of(System.getProperty("bench.compare", "vanilla"));
            String grants = System.getProperty("bench.grants", DEFAULT_GRANTS);
            boolean profile = Boolean.parseBoolean(System.getProperty("bench.profile", "false"));
            String sinks = System.getProperty("bench.sinks", "file").trim();
            String schedule = System.getProperty("bench.schedule", "alternate").trim();
            if (!schedule.equals("alternate") && !schedule.equals("simultaneous")) {
                throw new IllegalArgumentException("bench.schedule must be alternate or simultaneous, not " + schedule);
            }
            int forks = Integer.parseInt(System.getProperty("bench.forks", "1").trim());
            Duration settle = System.getProperty("bench.settle", "").isBlank() ? DEFAULT_SETTLE
                    : parseDuration(System.getProperty("bench.settle"));
            if (forks < 1 || (forks > 1 && profile)) {
                throw new IllegalArgumentException("bench.forks must be at least 1, and 1 with bench.profile=true (one "
                        + "profile per server and grant), not " + forks);
            }
            if (!sinks.equals("file") && !sinks.equals("file,kafka")) {
                throw new IllegalArgumentException("bench.sinks must be file or file,kafka (the file sink is what the "
                        + "benchmark counts records in), not " + sinks);
            }
            if (!compare.auditOnB() && !sinks.equals("file")) {
                throw new IllegalArgumentException("bench.compare=" + compare.id + " runs no Mintgate audit listener, "
                        + "so no audit sink: leave bench.sinks out");
            }
            return new Config(compare, dir, Path.of(required("bench.vanilla.home")), Path.of(required("bench.mintgate.home")),
                    parseDuration(System.getProperty("bench.warmup", "180s")),
                    parseDuration(System.getProperty("bench.warmupMax", "600s")),
                    Double.parseDouble(System.getProperty("bench.jitQuiet", "0.02")),
                    Integer.parseInt(System.getProperty("bench.rounds", DEFAULT_ROUNDS)),
                    parseDuration(System.getProperty("bench.duration", DEFAULT_DURATION)),
                    Integer.parseInt(System.getProperty("bench.concurrency", "16")),
                    BenchGrants.parse(grants),
                    Path.of(System.getProperty("bench.report", dir.resolve(schedule.equals("simultaneous")
                            ? compare.reportFile.replace("-report", "-simultaneous-report") : compare.reportFile).toString())),
                    Path.of(System.getProperty("bench.doc", "docs/performance")),
                    Boolean.parseBoolean(System.getProperty("bench.updateDoc", "false")),
                    System.getProperty("bench.command", "./mvnw -B -Pbench verify -pl bench -am -DskipTests"
                            + (compare == Comparison.VANILLA ? "" : " -Dbench.compare=" + compare.id)
                            + (grants.equals(DEFAULT_GRANTS) ? "" : " -Dbench.grants=" + grants)
                            + " -Dbench.warmup=" + System.getProperty("bench.warmup", "180s")
                            + " -Dbench.warmupMax=" + System.getProperty("bench.warmupMax", "600s")
                            + " -Dbench.jitQuiet=" + System.getProperty("bench.jitQuiet", "0.02")
                            + " -Dbench.rounds=" + System.getProperty("bench.rounds", DEFAULT_ROUNDS)
                            + " -Dbench.duration=" + System.getProperty("bench.duration", DEFAULT_DURATION)
                            + " -Dbench.concurrency=" + System.getProperty("bench.concurrency", "16")
                            + (profile ? " -Dbench.profile=true" : "")
                            + (sinks.equals("file") ? "" : " -Dbench.sinks=" + sinks)
                            + (schedule.equals("alternate") ? "" : " -Dbench.schedule=" + schedule)
                            + (forks == 1 ? "" : " -Dbench.forks=" + forks)
                            + (settle.equals(DEFAULT_SETTLE) ? "" : " -Dbench.settle=" + System.getProperty("bench.settle"))),
                    profile, Path.of(System.getProperty("bench.asyncProfiler",
                            dir.resolve("async-profiler/linux-x64/libasyncProfiler.so").toString())),
                    sinks.contains("kafka"), schedule.equals("simultaneous"), forks, settle);
        }

        /**
         * The results block of the dated runs (docs/performance/) this run may replace: the comparison's, or with the simultaneous
         * schedule its own (e.g. {@code ab-simultaneous-results}): the two schedules' figures are not comparable.
         */
        String docMarker() {
            return simultaneous ? compare.docMarker.replace("-results", "-simultaneous-results") : compare.docMarker;
        }

        /**
         * The start options of a server that runs Mintgate: its audit sinks. No {@code guarantee}: the benchmark
         * measures the default, lossless {@code before-response}.
         */
        List<String> mintgateStartOptions(KafkaBroker broker) {
            if (broker == null) {
                return List.of(AUDIT_OPTION + "sinks=file");
            }
            return List.of(AUDIT_OPTION + "sinks=file,kafka",
                    AUDIT_OPTION + "kafka-bootstrap-servers=" + broker.bootstrapServers(),
                    AUDIT_OPTION + "kafka-topic=" + KAFKA_TOPIC);
        }

        String describe() {
            return String.format(Locale.ROOT, "%d client threads (closed loop, keep-alive), warm-up per server per grant "
                            + "at least %s, then in %s steps until the JIT compilers used at most %.0f%% of the server's CPU "
                            + "in the last step (at most %s); %d round(s) x %s per server per grant", concurrency,
                    human(warmup), human(WarmUp.STEP), jitQuiet * 100, human(warmupMax), rounds, human(duration))
                    + "; after each window a pause of " + human(settle) + " whose server CPU counts to the window (the "
                    + "work its requests left behind: audit writer and shipper, GC)"
                    + (simultaneous ? "; **simultaneous**: in each round both servers are loaded at the same time, "
                    + concurrency + " client threads each, so that the machine's speed changes hit both alike" : "")
                    + (forks > 1 ? "; **" + forks + " forks**: both servers restarted on fresh data for each, every "
                    + "grant warmed up and measured in each" : "");
        }
    }

    /** Everything measured for one grant: A's windows (vanilla, or no narrowing) and B's, in round order. */
    static final class GrantResult {
        final List<Window> a = new ArrayList<>();
        final List<Window> b = new ArrayList<>();
        /** Each server's warm-up, one per fork. */
        final List<WarmUp.Result> warmA = new ArrayList<>();
        final List<WarmUp.Result> warmB = new ArrayList<>();
        /** The fork (1, 2, ...) of each round, in the order of {@link #a} and {@link #b}. */
        final List<Integer> fork = new ArrayList<>();
        long warmupErrors;
        /** With {@code -Dbench.sinks=file,kafka}: the broker's CPU during B's measured windows, and B's requests then. */
        long brokerTicksB;
        long requestsB;
        /** With {@code -Dbench.profile=true}: each server's CPU profile of the measured windows (collapsed stacks). */
        Path profileA;
        Path profileB;
    }

    /**
     * Pause after each measured window (and once before the first): the server finishes what the load left behind
     * (JIT queue, GC, the audit writer and shipper: measured, ~0.1 core for a few seconds at most) before the next
     * window starts, and that CPU is counted to the window that caused it.
     */
    static final Duration DEFAULT_SETTLE = Duration.ofMillis(500);
    /**
     * Many short rounds rather than a few long ones (8 x 10 s until 2026-11-24): this VM's speed drifts by 10-30%
     * within seconds, and two windows 2.5 s apart see nearly the same machine where two 13 s apart do not. Measured
     * A/A: B's edge fell from 2-10% to at most ~1.5% (docs/performance/runs-2026-11.md, "Short windows").
     */
    static final String DEFAULT_ROUNDS = "60";
    static final String DEFAULT_DURATION = "2s";

    private AbBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if ("cluster-budget".equals(System.getProperty("bench.kind", "ab"))) {
            ClusterBudgetBenchmark.run();
            return;
        }
        Config config = Config.fromSystemProperties();
        Comparison compare = config.compare();
        String loadBefore = ProcCpu.loadAverage();
        System.out.println("[bench] comparing " + compare.labelA + " (A) with " + compare.labelB + " (B)");
        System.out.println("[bench] " + config.describe());
        System.out.println("[bench] grants: " + config.grants().stream().map(g -> g.id).toList());
        System.out.println("[bench] load average before: " + loadBefore);

        checkHomes(config);
        if (config.profile()) {
            checkProfiler(config);
        }
        // The broker runs on the same cores as the servers; its CPU shows in "others" and is reported on its own.
        // Full JIT (the tests' broker is C1-only to start fast): under load for half an hour, C2 code costs less CPU.
        KafkaBroker broker = config.kafka()
                ? KafkaBroker.launch(config.dir(), "-Xms512m -Xmx512m -XX:+UseSerialGC") : null;
        List<String> mintgateOptions = config.mintgateStartOptions(broker);
        List<String> optionsA = !compare.mintgateOnA() ? List.of() : compare != Comparison.GUARANTEE ? mintgateOptions
                : java.util.stream.Stream.concat(mintgateOptions.stream(), java.util.stream.Stream.of(AUDIT_OPTION
                + "guarantee=async")).toList();
        DistributionKeycloak serverA = new DistributionKeycloak(config.vanillaHome(),
                config.dir().resolve(compare.serverA + "-logs"), optionsA);
        DistributionKeycloak serverB = new DistributionKeycloak(config.mintgateHome(),
                config.dir().resolve(compare.serverB + "-logs"), compare.mintgateOnB() ? mintgateOptions : List.of());
        String jvmArgs = System.getProperty("bench.jvmArgs", "").trim();
        if (!jvmArgs.isEmpty()) {
            // Diagnostics on both servers alike (e.g. -Xlog:gc, -XX:+PrintCompilation); never part of a published run.
            serverA.javaOptsAppend(jvmArgs);
            serverB.javaOptsAppend(jvmArgs);
            System.out.println("[bench] extra JVM options on both servers: " + jvmArgs);
        }
        String jfr = System.getProperty("bench.jfr", "");
        if (!jfr.isBlank()) {
            // Where Mintgate's CPU goes: a profile of server B for the whole run (method samples every 10 ms), and
            // the same of server A, so that what is not in B's execution samples (GC, JIT, allocation) can be compared.
            Path fileB = Path.of(jfr).toAbsolutePath();
            Path fileA = fileB.resolveSibling(fileB.getFileName().toString().replaceFirst("(\\.jfr)?$", "-A.jfr"));
            serverB.javaOptsAppend("-XX:StartFlightRecording=settings=profile,filename=" + fileB + ",dumponexit=true");
            serverA.javaOptsAppend("-XX:StartFlightRecording=settings=profile,filename=" + fileA + ",dumponexit=true");
            System.out.println("[bench] recording server B (" + compare.labelB + ") with JFR to " + fileB
                    + " and server A (" + compare.labelA + ") to " + fileA);
        }
        if (config.profile()) {
            // loaded idle at the start of both servers; started around the measured windows only (ServerProfiler)
            serverA.javaOptsAppend(ServerProfiler.agentOption(config.profilerLibrary()));
            serverB.javaOptsAppend(ServerProfiler.agentOption(config.profilerLibrary()));
            System.out.println("[bench] profiling both servers' measured windows with async-profiler ("
                    + config.profilerLibrary() + "): CPU samples every " + ProfileAttribution.MICROS_PER_SAMPLE + " µs");
        }
        Thread stopper = new Thread(() -> {
            serverA.close();
            serverB.close();
            if (broker != null) {
                broker.close();
            }
        }, "bench-stop-servers");
        Runtime.getRuntime().addShutdownHook(stopper);

        Map<Grant, GrantResult> results = new EnumMap<>(Grant.class);
        AuditCount audit = new AuditCount();
        List<String> narrowingChecks = new ArrayList<>();
        boolean failed = false;
        try {
            String fullPolicy = BenchPolicy.full();
            for (int fork = 1; fork <= config.forks(); fork++) {
                if (fork > 1) {
                    // A fresh JVM pair: the JIT's choices, the heap layout and where the process sits differ between
                    // two starts of the same server, so one pair's ratio can carry a few percent of its own (A/A run).
                    System.out.println();
                    System.out.println("[bench] fork " + fork + "/" + config.forks() + ": restarting both servers on fresh data");
                    serverA.close();
                    serverB.close();
                    deleteRecursively(config.vanillaHome().resolve("data"));
                    deleteRecursively(config.mintgateHome().resolve("data"));
                }
                // One at a time: a start (and a first kc.sh build) takes both cores.
                System.out.println("[bench] starting A, " + compare.labelA + " (" + config.vanillaHome() + ")");
                if (fork == 1) {
                    serverA.start();
                } else {
                    serverA.restart();
                }
                System.out.println("[bench] starting B, " + compare.labelB + " (" + config.mintgateHome() + ")");
                if (fork == 1) {
                    serverB.start();
                } else {
                    serverB.restart();
                }
                createRealm(serverA, compare == Comparison.GUARANTEE ? fullPolicy
                        : compare.mintgateOnA() ? BenchPolicy.withoutObligations(fullPolicy) : null, compare.mintgateOnA());
                createRealm(serverB, compare.policyOnB() ? fullPolicy : null, compare.auditOnB());
                long okABefore = audit.okA;
                long okBBefore = audit.okB;

                Target a = new Target(compare.serverA, serverA, Target.newClient());
                Target b = new Target(compare.serverB, serverB, Target.newClient());
                long pidA = serverA.javaProcess().pid();
                long pidB = serverB.javaProcess().pid();
                ServerProfiler profilerA = config.profile() ? new ServerProfiler(compare.serverA, pidA, config.profilerLibrary()) : null;
                ServerProfiler profilerB = config.profile() ? new ServerProfiler(compare.serverB, pidB, config.profilerLibrary()) : null;

                for (Grant grant : config.grants()) {
                    GrantResult result = results.computeIfAbsent(grant, g -> new GrantResult());
                    System.out.println();
                    System.out.println("[bench] === " + grant.title + (config.forks() > 1 ? " (fork " + fork + ")" : ""));
                    String smokeA = smoke(grant, a);
                    String smokeB = smoke(grant, b);
                    if (compare == Comparison.NARROWING && fork == 1) {
                        String check = NarrowingCheck.verify(grant.id, smokeA, new OidcClient(serverA, BenchGrants.REALM),
                                smokeB, new OidcClient(serverB, BenchGrants.REALM));
                        System.out.println("[bench] " + check);
                        narrowingChecks.add(check);
                    }
                    // Warm-up: one server after the other, or (simultaneous) both at once; a server whose JIT is quiet
                    // first stops while the other goes on alone.
                    List<WarmUp.Result> warm = config.simultaneous()
                            ? atOnce(() -> warmUp(config, grant, a, pidA), () -> warmUp(config, grant, b, pidB))
                            : List.of(warmUp(config, grant, a, pidA), warmUp(config, grant, b, pidB));
                    result.warmA.add(warm.get(0));
                    result.warmB.add(warm.get(1));
                    for (Target t : List.of(a, b)) {
                        WarmUp.Result w = warm.get(t == a ? 0 : 1);
                        print(grant, t.name(), "warm-up", w.total());
                        System.out.printf(Locale.ROOT, "[bench] %-18s %-12s warm-up took %s%n", grant.id, t.name(),
                                warmUpCell(w));
                        result.warmupErrors += w.total().errors();
                        audit.served(t == b, w.total());
                    }
                    // The warm-up's leftovers (JIT queue, GC, audit batches) finish before the first window; after
                    // that each window's own settling pause, counted to it, leaves the server idle for the next.
                    Thread.sleep(config.settle().toMillis());
                    for (int round = 1; round <= config.rounds(); round++) {
                        List<Target> order = round % 2 == 1 ? List.of(a, b) : List.of(b, a);
                        List<Window> windows;
                        if (config.simultaneous()) {
                            long brokerBefore = brokerTicks(broker);
                            // both windows open together: each run waits here once its workers are prepared
                            CyclicBarrier together = new CyclicBarrier(2);
                            List<Window> w = atOnce(() -> measure(config, grant, a, pidA, profilerA, together),
                                    () -> measure(config, grant, b, pidB, profilerB, together));
                            result.brokerTicksB += brokerTicks(broker) - brokerBefore;
                            windows = List.of(withoutOtherServer(w.get(0), w.get(1)), withoutOtherServer(w.get(1), w.get(0)));
                        } else {
                            Window[] w = new Window[2];
                            for (Target t : order) {
                                long brokerBefore = brokerTicks(broker);
                                w[t == a ? 0 : 1] = measure(config, grant, t, t == a ? pidA : pidB,
                                        t == a ? profilerA : profilerB, null);
                                if (t == b) {
                                    result.brokerTicksB += brokerTicks(broker) - brokerBefore;
                                }
                            }
                            windows = List.of(w[0], w[1]);
                        }
                        for (Target t : order) {
                            print(grant, t.name(), "round " + round + "/" + config.rounds(), windows.get(t == a ? 0 : 1));
                        }
                        result.a.add(windows.get(0));
                        result.b.add(windows.get(1));
                        result.fork.add(fork);
                        result.requestsB += windows.get(1).requests();
                        audit.served(false, windows.get(0));
                        audit.served(true, windows.get(1));
                    }
                    if (config.profile()) {
                        result.profileA = dumpProfile(profilerA, config, compare.serverA, grant);
                        result.profileB = dumpProfile(profilerB, config, compare.serverB, grant);
                    }
                }
                // each fork's file sink starts empty (fresh data)
                if (compare.auditOnB()) {
                    audit.recordsB += awaitAuditRecords(serverB, audit.okB - okBBefore);
                }
                if (compare.mintgateOnA()) {
                    audit.recordsA = Math.max(0, audit.recordsA) + awaitAuditRecords(serverA, audit.okA - okABefore);
                }
            }
            if (broker != null) {
                audit.kafkaRecords = KafkaTopic.awaitRecords(broker.bootstrapServers(), KAFKA_TOPIC, audit.fileRecords());
            }
        } finally {
            System.out.println("[bench] stopping both servers");
            serverA.close();
            serverB.close();
            if (broker != null) {
                broker.close();
            }
            Runtime.getRuntime().removeShutdownHook(stopper);
        }

        String loadAfter = ProcCpu.loadAverage();
        String section = report(config, results, loadBefore, loadAfter, audit, narrowingChecks);
        System.out.println();
        System.out.println(section);
        Files.createDirectories(config.report().getParent());
        Files.writeString(config.report(), section);
        System.out.println("[bench] report written to " + config.report());
        List<WindowsCsv.GrantWindows> windows = new ArrayList<>();
        results.forEach((grant, r) -> windows.add(new WindowsCsv.GrantWindows(grant.id, r.a, r.b, r.fork)));
        Path csv = config.report().resolveSibling(config.report().getFileName().toString().replaceFirst("\\.md$", "")
                + "-windows.csv");
        Files.writeString(csv, WindowsCsv.render(compare.serverA, compare.serverB, windows));
        System.out.println("[bench] every measured window, with its CPU by thread group: " + csv);
        if (config.updateDoc()) {
            Path doc = docWithMarker(config.doc(), config.docMarker());
            updateDoc(doc, config.docMarker(), section);
            System.out.println("[bench] " + config.docMarker() + " block of " + doc + " replaced");
        }
        if (audit.kafkaRecords >= 0 && audit.kafkaRecords != audit.fileRecords()) {
            System.out.println("[bench] FAILED: " + audit.kafkaRecords + " records in the Kafka topic, "
                    + audit.fileRecords() + " in the file sink (each record goes to both)");
            failed = true;
        }
        for (Map.Entry<Grant, GrantResult> e : results.entrySet()) {
            long errors = e.getValue().warmupErrors + Stream.concat(e.getValue().a.stream(), e.getValue().b.stream())
                    .mapToLong(Window::errors).sum();
            if (errors > 0) {
                System.out.println("[bench] FAILED: " + errors + " errors in " + e.getKey().id + " (0 required)");
                failed = true;
            }
        }
        System.exit(failed ? 1 : 0);
    }

    /** Successful token requests under load per server, and the records its file sink held at the end. */
    static final class AuditCount {
        long okA;
        long okB;
        long recordsA = -1;
        long recordsB;
        /** Records in the Kafka topic at the end, or -1 without the Kafka sink. */
        long kafkaRecords = -1;

        /** Records in the file sinks: B's, and A's too when A runs Mintgate (both ship to the one Kafka topic). */
        long fileRecords() {
            return recordsB + Math.max(0, recordsA);
        }

        void served(boolean onB, Window w) {
            if (onB) {
                okB += w.requests() - w.errors();
            } else {
                okA += w.requests() - w.errors();
            }
        }
    }

    private static List<LoadGenerator.Worker> workers(Grant grant, Target target, int n) {
        List<LoadGenerator.Worker> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            workers.add(BenchGrants.worker(grant, target));
        }
        return workers;
    }

    /** The Kafka broker's CPU ticks so far; 0 without a broker. */
    private static long brokerTicks(KafkaBroker broker) {
        return broker == null ? 0 : ProcCpu.processTicks(broker.pid());
    }

    private static WarmUp.Result warmUp(Config config, Grant grant, Target t, long pid) throws Exception {
        return WarmUp.run(config.warmup(), config.warmupMax(), config.jitQuiet(),
                d -> LoadGenerator.run(workers(grant, t, config.concurrency()), d, pid));
    }

    /**
     * One measured window of {@code t}. With {@code together} (simultaneous schedule) the window opens only when the
     * other server's workers are prepared too, so that both windows cover the same seconds.
     */
    private static Window measure(Config config, Grant grant, Target t, long pid, ServerProfiler profiler,
                                  CyclicBarrier together) throws Exception {
        Runnable open = () -> {
            if (together != null) {
                try {
                    together.await(5, TimeUnit.MINUTES);
                } catch (Exception e) {
                    throw new IllegalStateException("the other server's window did not open", e);
                }
            }
            if (profiler != null) {
                profiler.beginWindow();
            }
        };
        Runnable close = profiler == null ? () -> { } : profiler::endWindow;
        return LoadGenerator.run(workers(grant, t, config.concurrency()), config.duration(), pid, open, close,
                config.settle());
    }

    /**
     * A simultaneous window as if the other server were not part of the machine's busy time: "others" is then what
     * it is in the alternate schedule, the CPU of everything but the two servers and the loader (whose CPU both
     * windows count in full: it drives both).
     */
    static Window withoutOtherServer(Window w, Window other) {
        return new Window(w.requests(), w.errors(), w.elapsedNanos(), w.latencyMicros(), w.serverTicks(), w.loaderTicks(),
                Math.max(0, w.machineBusyTicks() - other.serverTicks()), w.machineTotalTicks(), w.errorSamples(),
                w.serverThreadGroupTicks(), w.startedAt(), w.tailTicks());
    }

    /** Both at once, each on its own thread; A's result first. The first failure is thrown as it was. */
    private static <T> List<T> atOnce(Callable<T> forA, Callable<T> forB) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "bench-at-once");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<T> a = pool.submit(forA);
            Future<T> b = pool.submit(forB);
            return List.of(a.get(), b.get());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One request of the grant must succeed on each server before any load is sent; returns its token response. */
    private static String smoke(Grant grant, Target target) throws Exception {
        LoadGenerator.Worker worker = BenchGrants.worker(grant, target);
        worker.prepare();
        int status = worker.call();
        if (status != 200) {
            throw new IllegalStateException(target.name() + " refused " + grant.id + " (HTTP " + status + "): "
                    + worker.lastBody());
        }
        return worker.lastBody();
    }

    private static void print(Grant grant, String server, String what, Window w) {
        System.out.printf(Locale.ROOT, "[bench] %-18s %-12s %-10s %7.0f req/s  p50 %6.2f ms  p99 %7.2f ms  "
                        + "server CPU %.2f ms/req (%.2f cores)  loader %.2f cores  others %.2f cores  errors %d%n",
                grant.id, server, what, w.throughput(), ms(w.latencyMicros(), 50), ms(w.latencyMicros(), 99),
                w.serverCpuMsPerRequest(), w.serverCores(), w.loaderCores(), w.otherCores(), w.errors());
        for (String sample : w.errorSamples()) {
            System.out.println("[bench]   error: " + sample);
        }
    }

    // --- servers and realms

    private static void checkHomes(Config config) throws IOException {
        for (Path home : List.of(config.vanillaHome(), config.mintgateHome())) {
            if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
                throw new IllegalStateException("no distribution at " + home + ": run through ./mvnw -Pbench verify");
            }
            // a clean state per run: empty dev-file database, no spool or audit file from an earlier run
            deleteRecursively(home.resolve("data"));
        }
        Path bundle = config.mintgateHome().resolve("providers/mintgate-keycloak.jar");
        if (!Files.exists(bundle)) {
            throw new IllegalStateException("no Mintgate bundle in " + config.mintgateHome().resolve("providers"));
        }
        // Keycloak refuses "start --optimized" when a provider jar's modification time differs from the one it saw
        // at "kc.sh build", and Maven copies the bundle afresh on every run. The content decides whether to
        // rebuild (BuildFingerprint), so the time is pinned to the reproducible-build timestamp.
        Files.setLastModifiedTime(bundle, PINNED_PROVIDER_TIME);
        Path providersA = config.vanillaHome().resolve("providers");
        Path bundleA = providersA.resolve("mintgate-keycloak.jar");
        if (config.compare().mintgateOnA()) {
            // The very same bundle on A (Maven copies it only into B's home); a changed bundle rebuilds A too.
            Files.copy(bundle, bundleA, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(bundleA, PINNED_PROVIDER_TIME);
        } else if (Files.exists(bundleA)) {
            // left by an earlier "-Dbench.compare=narrowing" run; A's next start rebuilds without it
            Files.delete(bundleA);
            System.out.println("[bench] note: removed the Mintgate bundle an earlier narrowing run left in " + providersA);
        }
        long expected = config.compare().mintgateOnA() ? 1 : 0;
        if (jars(providersA) != expected) {
            throw new IllegalStateException("server A (" + config.compare().labelA + ") should have " + expected
                    + " provider jar(s) in " + providersA + ", it has " + jars(providersA));
        }
        if (!config.compare().mintgateOnB()) {
            // A/A: B's home without the bundle Maven copied in (it copies it again on the next run, which rebuilds)
            Files.delete(bundle);
            if (jars(bundle.getParent()) != 0) {
                throw new IllegalStateException("server B (" + config.compare().labelB + ") should have no provider "
                        + "jar in " + bundle.getParent() + ", it has " + jars(bundle.getParent()));
            }
        }
    }

    private static long jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).count();
        }
    }

    /**
     * The same realm JSON on both servers; a server with a {@code policy} then gets it as a stored policy and the
     * client profile/policy (the {@code issuance-authorizer} executor naming it, for any client), and one with
     * {@code audit} the audit listener, as an admin would add them. Neither leaves the realm as vanilla Keycloak has it.
     */
    static void createRealm(DistributionKeycloak server, String policy, boolean audit) {
        AdminApi admin = new AdminApi(server);
        admin.createRealm(resource("bench-realm.json"));
        String realm = "/admin/realms/" + BenchGrants.REALM;
        if (policy != null) {
            // Stored once in the realm and referenced by name, as docs/policy-reference.md recommends for a policy of
            // this size: inline, Keycloak would re-parse its 10 KB with the client profiles on every client-policy
            // event.
            ObjectNode stored = JSON.createObjectNode().put("name", "bench").put("providerId", "cel")
                    .put("providerType", "io.mintgate.authorizer.keycloak.store.IssuancePolicy");
            stored.putObject("config").putArray("policy").add(policy);
            admin.post(realm + "/components", stored).expect(201);
            ObjectNode profiles = JSON.createObjectNode();
            ObjectNode profile = profiles.putArray("profiles").addObject().put("name", "mintgate");
            profile.putArray("executors").addObject().put("executor", "issuance-authorizer")
                    .putObject("configuration").put("policy-name", "bench");
            admin.put(realm + "/client-policies/profiles", profiles).expect(204);

            ObjectNode policies = JSON.createObjectNode();
            ObjectNode clientPolicy = policies.putArray("policies").addObject().put("name", "mintgate")
                    .put("enabled", true);
            clientPolicy.putArray("conditions").addObject().put("condition", "issuance-events")
                    .putObject("configuration");
            clientPolicy.putArray("profiles").add("mintgate");
            admin.put(realm + "/client-policies/policies", policies).expect(204);
        }
        if (audit) {
            ObjectNode events = (ObjectNode) admin.get(realm + "/events/config").expect(200).json();
            ArrayNode listeners = events.putArray("eventsListeners");
            listeners.add("jboss-logging").add("mintgate-audit");
            admin.put(realm + "/events/config", events).expect(204);
        }
    }

    static JsonNode resource(String name) {
        try {
            return JSON.readTree(resourceText(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resourceText(String name) {
        try (InputStream in = AbBenchmark.class.getResourceAsStream("/bench/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource bench/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records in the file sink (all rotated files): the shipper is asynchronous, so wait until it stops growing. */
    private static long awaitAuditRecords(DistributionKeycloak mintgate, long expectedAtLeast) throws Exception {
        Path dir = mintgate.home().resolve("data/mintgate-audit");
        long count = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            long now = countAuditLines(dir);
            if (now >= expectedAtLeast && now == count) {
                break;
            }
            count = now;
            Thread.sleep(1000);
        }
        return countAuditLines(dir);
    }

    private static long countAuditLines(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long lines = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.getFileName().toString().matches("audit.*\\.jsonl")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        for (int i = 0; i < n; i++) {
                            if (buffer[i] == '\n') {
                                lines++;
                            }
                        }
                    }
                }
            }
        }
        return lines;
    }

    // --- report

    static String report(Config config, Map<Grant, GrantResult> results, String loadBefore, String loadAfter,
                         AuditCount audit, List<String> narrowingChecks) {
        Comparison compare = config.compare();
        boolean narrowing = compare == Comparison.NARROWING;
        StringBuilder md = new StringBuilder();
        md.append("#### Run of ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT))
                .replaceAll("\\.\\d+", "")).append("\n\n");
        md.append("**Machine:** ").append(machine()).append("  \n");
        md.append("**Load average** (1/5/15 min) before: ").append(loadBefore).append(", after: ").append(loadAfter)
                .append(". \"others\" below is the CPU the rest of the machine used during the measured windows (cores, median and max).  \n");
        md.append("**Configuration:** ").append(config.describe()).append("; realm keys RS256; ");
        if (compare == Comparison.INSTALLED) {
            md.append("B: the Mintgate bundle in `providers/` and Mintgate's start options (audit spool and file sink "
                    + "configured), but no policy, client profile or client policy, and no `mintgate-audit` in the realm's "
                    + "event listeners: what installing the bundle costs before anything is configured.  \n");
        } else if (compare == Comparison.POLICY) {
            md.append("B: Mintgate's 20-rule stored policy on every client, owner lookup, but no `mintgate-audit` in the "
                    + "realm's event listeners: what the issuance decision (narrowing included) costs without the audit "
                    + "trail.  \n");
        } else if (compare == Comparison.AUDIT) {
            md.append("B: `mintgate-audit` with the file sink in the realm's event listeners, but no policy, client "
                    + "profile or client policy: what the audit trail costs without decisions to record.  \n");
        } else if (compare == Comparison.SAME) {
            md.append("A/A: both servers vanilla Keycloak (two homes of the same distribution, the same realm and load); "
                    + "no Mintgate anywhere, so any difference is the benchmark's own.  \n");
        } else if (compare == Comparison.GUARANTEE) {
            md.append("both servers: Mintgate with the 20-rule stored policy on every client, owner lookup, `mintgate-audit` "
                    + "with the file sink; A with `guarantee=async`, B with the default `before-response` (no token "
                    + "before its record is fsynced): what the lossless guarantee costs.  \n");
        } else if (narrowing) {
            md.append("both servers: Mintgate with the 20-rule stored policy on every client, owner lookup, `mintgate-audit` "
                    + "with the file sink; A (no narrowing) has the same policy with every rule's `obligations` removed "
                    + "(derived from `bench/mintgate-policy.json` at run time), B (narrowing) the full policy.  \n");
        } else {
            md.append("Mintgate: 20-rule stored policy on every client, owner lookup, `mintgate-audit` with the default "
                    + "guarantee (before-response: no token before its record is fsynced) and the file sink"
                    + (config.kafka() ? " and the Kafka sink (one KRaft broker on the same machine, its CPU in \"others\")" : "")
                    + ".  \n");
        }
        md.append("**Command:** `").append(config.command()).append("`\n\n");
        List<Double> allOthers = results.values().stream()
                .flatMap(r -> Stream.concat(r.a.stream(), r.b.stream())).map(Window::otherCores).toList();
        // The load average right after the run counts the benchmark's own loader threads, so only the load before
        // the run and the measured CPU of everything else ("others") say whether the machine was shared.
        double load1 = Double.parseDouble(loadBefore.split(" ")[0]);
        // Only what was measured during the windows: the load average before the run still counts a run that has
        // just ended (its servers' shutdown), which says nothing about the windows.
        if (median(allOthers) > 0.2) {
            md.append(String.format(Locale.ROOT, "> **Noisy run:** the rest of the machine used %.2f cores (median, max %.2f) "
                    + "while this ran, load average %.1f on %d cores before it started. Only the ratio is worth a look, and only "
                    + "with its min–max spread; rerun on a quiet machine.%n>%n", median(allOthers), max(allOthers), load1,
                    Runtime.getRuntime().availableProcessors()));
        }
        if (config.profile()) {
            md.append("> **Profiled run** (`-Dbench.profile=true`): async-profiler sampled both servers' measured windows, "
                    + "which costs CPU; its throughput, CPU and ratios are not the published ones (profile at the end).\n>\n");
        }
        // Thresholds below the defaults (8 rounds x 10 s windows): a run with them is not comparable to the published
        // ones. Short windows are fine in numbers (e.g. 60 x 2 s): what counts is the measured time per server.
        if (config.warmup().toSeconds() < 60 || config.duration().multipliedBy(config.rounds()).toSeconds() < 60
                || config.rounds() < 3) {
            md.append("> **Short configuration:** less than 60 s warm-up, 60 s measured per server and grant, or 3 "
                    + "rounds: the JIT is not settled or too few requests were measured, so figures are indicative "
                    + "only.\n\n");
        } else if (md.charAt(md.length() - 2) == '>') {
            md.setLength(md.length() - 2);
            md.append("\n");
        }

        String a = compare.shortA;
        String b = compare.shortB;
        StringBuilder header = new StringBuilder("| grant | ").append(compare.labelA).append(" req/s | ")
                .append(compare.labelB).append(" req/s | ")
                .append(compare.ratioLabel()).append(" median (min–max) | p50 ms ").append(a).append(" / ").append(b)
                .append(" | p99 ms ").append(a).append(" / ").append(b).append(" | server CPU ms/req ").append(a)
                .append(" / ").append(b)
                .append(" | CPU ratio " + a + "/" + b + " per round, median (min–max; mean ± 95% CI)")
                .append(narrowing ? " | CPU cost of narrowing, ms/req (% of without) "
                        + "| cost per round, % median (min–max)" : "")
                .append(" | errors ").append(a).append(" / ").append(b).append(" | others (cores) |\n");
        md.append(header).append("|---".repeat((int) header.chars().filter(c -> c == '|').count() - 1)).append("|\n");
        for (Map.Entry<Grant, GrantResult> e : results.entrySet()) {
            GrantResult r = e.getValue();
            if (r.a.isEmpty() || r.b.isEmpty()) {
                continue;
            }
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.min(r.a.size(), r.b.size()); i++) {
                ratios.add(r.b.get(i).throughput() / r.a.get(i).throughput());
            }
            Histogram ha = merged(r.a);
            Histogram hb = merged(r.b);
            List<Double> others = Stream.concat(r.a.stream(), r.b.stream()).map(Window::otherCores).toList();
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | **%.3f** (%.3f–%.3f) | %.1f / %.1f | %.1f / %.1f "
                            + "| %.2f / %.2f |",
                    e.getKey().id, median(r.a.stream().map(Window::throughput).toList()),
                    median(r.b.stream().map(Window::throughput).toList()),
                    median(ratios), min(ratios), max(ratios),
                    ms(ha, 50), ms(hb, 50), ms(ha, 99), ms(hb, 99),
                    cpuPerRequest(r.a), cpuPerRequest(r.b)));
            List<Double> cpuRatios = cpuRatioPerRound(r);
            md.append(String.format(Locale.ROOT, " **%.3f** (%.3f–%.3f; %s) |", median(cpuRatios), min(cpuRatios),
                    max(cpuRatios), meanWithInterval(cpuRatios)));
            if (narrowing) {
                List<Double> perRound = cpuCostPercentPerRound(r);
                md.append(String.format(Locale.ROOT, " **%+.3f (%+.1f%%)** | %+.1f (%+.1f to %+.1f) |",
                        cpuPerRequest(r.b) - cpuPerRequest(r.a), cpuCostPercent(r), median(perRound), min(perRound),
                        max(perRound)));
            }
            md.append(String.format(Locale.ROOT, " %d / %d | %.2f (max %.2f) |\n",
                    errors(r.a), errors(r.b), median(others), max(others)));
        }
        md.append("\n");
        if (narrowing) {
            md.append(narrowingSummary(results, narrowingChecks));
        }
        if (config.forks() > 1) {
            md.append(forkSummary(results, compare));
        }
        md.append(warmUpSummary(results, compare));
        long warmupErrors = results.values().stream().mapToLong(r -> r.warmupErrors).sum();
        if (narrowing) {
            md.append(String.format(Locale.ROOT, "Warm-up errors: %d. Audit: %d records in A's file sink for %d successful "
                    + "token requests under load, %d in B's for %d (records also cover setup logins and the authorize "
                    + "step).%s\n\n", warmupErrors, audit.recordsA, audit.okA, audit.recordsB, audit.okB,
                    kafkaSummary(audit, results)));
        } else if (!compare.auditOnB()) {
            md.append(String.format(Locale.ROOT, "Warm-up errors: %d. No audit (no Mintgate audit listener in either "
                    + "realm).\n\n", warmupErrors));
        } else {
            md.append(String.format(Locale.ROOT, "Warm-up errors: %d. Audit: %d records in the file sink for %d successful "
                    + "Mintgate token requests under load (records also cover setup logins and the authorize step).%s\n\n",
                    warmupErrors, audit.recordsB, audit.okB, kafkaSummary(audit, results)));
        }

        md.append("<details><summary>Per round</summary>\n\n");
        md.append("| grant | round | server | req/s | p50 ms | p99 ms | server CPU ms/req | server cores | loader cores | others cores | errors |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<Grant, GrantResult> e : results.entrySet()) {
            for (int i = 0; i < e.getValue().a.size(); i++) {
                for (boolean onB : List.of(false, true)) {
                    List<Window> windows = onB ? e.getValue().b : e.getValue().a;
                    if (i >= windows.size()) {
                        continue;
                    }
                    Window w = windows.get(i);
                    md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d |\n",
                            e.getKey().id, i + 1, onB ? compare.serverB : compare.serverA, w.throughput(),
                            ms(w.latencyMicros(), 50), ms(w.latencyMicros(), 99),
                            w.serverCpuMsPerRequest(), w.serverCores(), w.loaderCores(), w.otherCores(), w.errors()));
                }
            }
        }
        md.append("\n</details>\n");
        md.append(threadGroupTable(results, compare));
        if (config.profile()) {
            md.append(profileSection(results, compare));
        }
        return md.toString();
    }

    /** The Kafka sink's count and the broker's CPU, for the audit line of the report; empty without Kafka. */
    static String kafkaSummary(AuditCount audit, Map<Grant, GrantResult> results) {
        if (audit.kafkaRecords < 0) {
            return "";
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, " Kafka topic `%s`: %d records (%s the file sink%s).",
                KAFKA_TOPIC, audit.kafkaRecords, audit.kafkaRecords == audit.fileRecords() ? "the same as" : "NOT the same as",
                audit.recordsA >= 0 ? "s of both servers together" : ""));
        s.append(" Kafka broker CPU during Mintgate's measured windows (not in Mintgate's server CPU, part of \"others\"):");
        results.forEach((grant, r) -> s.append(String.format(Locale.ROOT, " %s %.3f ms/req;", grant.id,
                r.requestsB == 0 ? Double.NaN : ProcCpu.ticksToMillis(r.brokerTicksB) / r.requestsB)));
        s.setLength(s.length() - 1);
        return s.append('.').toString();
    }

    /**
     * With {@code -Dbench.profile=true}, per grant: where each server's CPU went in the measured windows, from its
     * async-profiler profile ({@link ProfileAttribution}), per successful token request of those windows.
     */
    static String profileSection(Map<Grant, GrantResult> results, Comparison compare) {
        StringBuilder md = new StringBuilder();
        for (Map.Entry<Grant, GrantResult> e : results.entrySet()) {
            GrantResult r = e.getValue();
            if (r.profileA == null || r.profileB == null) {
                continue;
            }
            long tokensA = r.a.stream().mapToLong(w -> w.requests() - w.errors()).sum();
            long tokensB = r.b.stream().mapToLong(w -> w.requests() - w.errors()).sum();
            ProfileAttribution.Profile pa = ProfileAttribution.Profile.read(r.profileA);
            ProfileAttribution.Profile pb = ProfileAttribution.Profile.read(r.profileB);
            md.append(String.format(Locale.ROOT, "\n**Where the CPU goes (async-profiler, per token, µs)**, %s: the measured "
                            + "windows only (%d per server; warm-up, settling pauses and server starts not profiled), one CPU "
                            + "sample per %d µs of CPU of any thread of the server JVM (request threads, GC, JIT...), "
                            + "divided by the successful token requests of those windows (%s %d, %s %d; %d and %d samples). "
                            + "Rows are inclusive stacks: they overlap and do not add up. The profiler costs CPU, so this "
                            + "run's throughput and ratios are not comparable to an unprofiled run's. Profiles: `%s`, `%s`.\n\n",
                    e.getKey().id, r.a.size(), ProfileAttribution.MICROS_PER_SAMPLE, compare.labelA, tokensA,
                    compare.labelB, tokensB, pa.totalSamples(), pb.totalSamples(),
                    r.profileA.getFileName(), r.profileB.getFileName()));
            md.append(ProfileAttribution.table(compare.labelA, pa, tokensA, cpuMicros(r.a) / tokensA,
                    compare.labelB, pb, tokensB, cpuMicros(r.b) / tokensB));
            String perSignature = ProfileAttribution.perSignature(compare.shortA, pa, compare.shortB, pb);
            if (perSignature != null) {
                md.append('\n').append(perSignature);
            }
        }
        return md.toString();
    }

    /** The server's CPU time over these windows ({@code /proc}), in µs. */
    static double cpuMicros(List<Window> windows) {
        return ProcCpu.ticksToMillis(windows.stream().mapToLong(Window::serverTicks).sum()) * 1000;
    }

    private static Path dumpProfile(ServerProfiler profiler, Config config, String server, Grant grant) {
        Path file = config.dir().resolve("profile-" + server + "-" + grant.id + ".collapsed");
        return profiler.dump(file) ? file : null;
    }

    private static void checkProfiler(Config config) throws IOException {
        if (config.updateDoc()) {
            throw new IllegalStateException("bench.profile=true with bench.updateDoc=true: a profiled run's figures "
                    + "are not the ones to publish (the profiler costs CPU); run them separately");
        }
        if (!Files.isReadable(config.profilerLibrary())) {
            throw new IllegalStateException("no async-profiler at " + config.profilerLibrary()
                    + ": run through ./mvnw -Pbench verify ... -Dbench.profile=true, which unpacks it");
        }
        // no profile of an earlier run may pass for this one's
        try (Stream<Path> files = Files.list(config.dir())) {
            for (Path old : files.filter(p -> p.getFileName().toString().matches("profile-.*\\.collapsed")).toList()) {
                Files.delete(old);
            }
        }
    }

    /**
     * Where each server's CPU went, per request, by thread group (over all measured rounds): request threads, GC,
     * JIT compilers, Mintgate's audit threads... The difference column is what B costs more, thread group by thread
     * group, which separates the request path from garbage collection and background work without a profiler.
     */
    static String threadGroupTable(Map<Grant, GrantResult> results, Comparison compare) {
        StringBuilder md = new StringBuilder("\n**Server CPU by thread group**, ms per request over all rounds (from "
                + "`/proc/<pid>/task/*/stat`; groups under 0.005 ms/req on both servers are left out; \"ended threads\" is "
                + "the process's time not found in a live thread):\n\n");
        md.append("| grant | thread group | ").append(compare.serverA).append(" | ").append(compare.serverB)
                .append(" | difference |\n|---|---|---|---|---|\n");
        for (Map.Entry<Grant, GrantResult> e : results.entrySet()) {
            GrantResult r = e.getValue();
            if (r.a.isEmpty() || r.b.isEmpty()) {
                continue;
            }
            Map<String, Double> a = perRequestByGroup(r.a);
            Map<String, Double> b = perRequestByGroup(r.b);
            java.util.Set<String> groups = new java.util.TreeSet<>(a.keySet());
            groups.addAll(b.keySet());
            List<String> ordered = groups.stream()
                    .filter(g -> a.getOrDefault(g, 0.0) >= 0.005 || b.getOrDefault(g, 0.0) >= 0.005)
                    .sorted(java.util.Comparator.comparingDouble((String g) -> -Math.max(a.getOrDefault(g, 0.0),
                            b.getOrDefault(g, 0.0))))
                    .toList();
            for (String g : ordered) {
                double va = a.getOrDefault(g, 0.0);
                double vb = b.getOrDefault(g, 0.0);
                md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %+.3f |\n", e.getKey().id, g, va, vb, vb - va));
            }
        }
        return md.append("\n").toString();
    }

    static Map<String, Double> perRequestByGroup(List<Window> windows) {
        long requests = windows.stream().mapToLong(Window::requests).sum();
        Map<String, Long> ticks = new java.util.TreeMap<>();
        long process = 0;
        for (Window w : windows) {
            process += w.cpuTicks();
            w.serverThreadGroupTicks().forEach((g, t) -> ticks.merge(g, t, Long::sum));
        }
        long live = ticks.values().stream().mapToLong(Long::longValue).sum();
        ticks.put("ended threads", Math.max(0, process - live));
        Map<String, Double> perRequest = new java.util.TreeMap<>();
        ticks.forEach((g, t) -> perRequest.put(g, requests == 0 ? 0 : ProcCpu.ticksToMillis(t) / requests));
        return perRequest;
    }

    /** Issue 4's acceptance bound: narrowing adds at most this much to client_credentials CPU per request. */
    static final double NARROWING_BOUND_PERCENT = 2.0;

    /**
     * The narrowing cost per grant in words, the verdict on the bound for client_credentials (honest about a
     * per-round spread wider than the bound), and what the smoke tokens showed was narrowed.
     */
    static String narrowingSummary(Map<Grant, GrantResult> results, List<String> narrowingChecks) {
        StringBuilder md = new StringBuilder("**Narrowing cost** (server CPU per request, narrowing minus no narrowing, "
                + "over all rounds; per-round figures pair the two back-to-back windows of a round):\n\n");
        for (Map.Entry<Grant, GrantResult> e : results.entrySet()) {
            GrantResult r = e.getValue();
            if (r.a.isEmpty() || r.b.isEmpty()) {
                continue;
            }
            List<Double> perRound = cpuCostPercentPerRound(r);
            md.append(String.format(Locale.ROOT, "* %s: %.3f → %.3f ms/req, **%+.3f ms/req = %+.1f%%** (per round %+.1f%% to %+.1f%%)",
                    e.getKey().id, cpuPerRequest(r.a), cpuPerRequest(r.b), cpuPerRequest(r.b) - cpuPerRequest(r.a),
                    cpuCostPercent(r), min(perRound), max(perRound)));
            if (e.getKey() == Grant.CLIENT_CREDENTIALS) {
                double spread = max(perRound) - min(perRound);
                if (spread > NARROWING_BOUND_PERCENT) {
                    // a verdict either way would be noise: say so rather than "within" or "above"
                    md.append(String.format(Locale.ROOT, " — **inconclusive** against the %.0f%% bound: the rounds "
                            + "spread over %.1f points, more than the bound itself, so this run cannot tell the cost "
                            + "from noise (rerun on a quiet machine, more rounds)", NARROWING_BOUND_PERCENT, spread));
                } else {
                    md.append(String.format(Locale.ROOT, cpuCostPercent(r) <= NARROWING_BOUND_PERCENT
                            ? " — within the %.0f%% bound" : " — **above** the %.0f%% bound", NARROWING_BOUND_PERCENT));
                }
            }
            md.append(".\n");
        }
        md.append("\nNarrowing checked before the load (smoke request per grant, access tokens signature-verified):\n\n");
        for (String check : narrowingChecks) {
            md.append("* ").append(check).append("\n");
        }
        return md.append("\n").toString();
    }

    /**
     * A's server CPU per request over B's, per round: in the simultaneous schedule the throughput ratio depends on
     * how the kernel shares the cores between the two servers, while this is what B's throughput would be, relative
     * to A's, on the same CPU.
     */
    static List<Double> cpuRatioPerRound(GrantResult r) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(r.a.size(), r.b.size()); i++) {
            ratios.add(r.a.get(i).serverCpuMsPerRequest() / r.b.get(i).serverCpuMsPerRequest());
        }
        return ratios;
    }

    /**
     * The mean of per-round ratios with a 95% confidence interval (normal approximation, 1.96 standard errors): how
     * closely the rounds pin the ratio down, which the min–max of a few noisy rounds does not say. Each round pairs
     * two adjacent windows, so the machine's slow drifts cancel out of the ratio; rounds are treated as independent.
     */
    static String meanWithInterval(List<Double> values) {
        int n = values.size();
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        if (n < 2) {
            return String.format(Locale.ROOT, "mean %.3f", mean);
        }
        double variance = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (n - 1);
        return String.format(Locale.ROOT, "mean %.3f ± %.3f", mean, 1.96 * Math.sqrt(variance / n));
    }

    /** B's CPU per request over A's, minus one, in percent, over all rounds. */
    static double cpuCostPercent(GrantResult r) {
        return (cpuPerRequest(r.b) / cpuPerRequest(r.a) - 1) * 100;
    }

    /** The same for each round's pair of windows. */
    static List<Double> cpuCostPercentPerRound(GrantResult r) {
        List<Double> costs = new ArrayList<>();
        for (int i = 0; i < Math.min(r.a.size(), r.b.size()); i++) {
            costs.add((r.b.get(i).serverCpuMsPerRequest() / r.a.get(i).serverCpuMsPerRequest() - 1) * 100);
        }
        return costs;
    }

    /**
     * The file that holds the results block {@code <!-- marker:begin -->}: {@code doc} itself if it is a file, else
     * the one Markdown file of the folder {@code doc} (the dated runs, docs/performance/) that has it.
     */
    static Path docWithMarker(Path doc, String marker) throws IOException {
        if (!Files.isDirectory(doc)) {
            return doc;
        }
        String begin = "<!-- " + marker + ":begin -->";
        List<Path> holders = new ArrayList<>();
        try (Stream<Path> files = Files.list(doc)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".md")).sorted().toList()) {
                if (Files.readString(f).contains(begin)) {
                    holders.add(f);
                }
            }
        }
        if (holders.size() != 1) {
            throw new IllegalStateException(doc + " has " + holders.size() + " Markdown files with a " + begin
                    + " block, not one: " + holders);
        }
        return holders.get(0);
    }

    /** Replaces the block between {@code <!-- marker:begin -->} and {@code <!-- marker:end -->} with the section. */
    static void updateDoc(Path doc, String marker, String section) throws IOException {
        String begin = "<!-- " + marker + ":begin -->";
        String end = "<!-- " + marker + ":end -->";
        String text = Files.readString(doc);
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalStateException(doc + " has no " + begin + " ... " + end + " block to replace");
        }
        Files.writeString(doc, text.substring(0, b + begin.length()) + "\n" + section + text.substring(e));
    }

    private static String machine() {
        StringBuilder s = new StringBuilder();
        s.append("`nproc` = ").append(Runtime.getRuntime().availableProcessors());
        try {
            String mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().orElse("MemTotal: ? kB");
            long kb = Long.parseLong(mem.replaceAll("\\D", ""));
            s.append(String.format(Locale.ROOT, ", %.1f GiB RAM", kb / 1024.0 / 1024.0));
            Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .ifPresent(l -> s.append(", ").append(l.substring(l.indexOf(':') + 1).trim()));
        } catch (IOException | NumberFormatException ignored) {
            // not Linux enough; the rest still describes the machine
        }
        s.append(", ").append(javaVersion());
        return s.toString();
    }

    /** {@code java -version} of the java on PATH, which kc.sh runs when JAVA_HOME is unset. */
    private static String javaVersion() {
        try {
            String javaHome = System.getenv("JAVA_HOME");
            String java = javaHome == null ? "java" : Path.of(javaHome, "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            p.waitFor();
            return lines.stream().filter(l -> l.contains("Runtime Environment")).findFirst()
                    .map(String::trim).orElse(String.join(" ", lines));
        } catch (Exception e) {
            return "java " + System.getProperty("java.vm.version");
        }
    }

    // --- numbers

    static Histogram merged(List<Window> windows) {
        Histogram h = new Histogram(Duration.ofSeconds(60).toNanos() / 1000, 3);
        windows.forEach(w -> h.add(w.latencyMicros()));
        return h;
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    static double cpuPerRequest(List<Window> windows) {
        long ticks = windows.stream().mapToLong(Window::cpuTicks).sum();
        long requests = windows.stream().mapToLong(Window::requests).sum();
        return requests == 0 ? Double.NaN : ProcCpu.ticksToMillis(ticks) / requests;
    }

    static long errors(List<Window> windows) {
        return windows.stream().mapToLong(Window::errors).sum();
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double min(List<Double> values) {
        return values.stream().min(Comparator.naturalOrder()).orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().max(Comparator.naturalOrder()).orElse(Double.NaN);
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(t));
    }

    /**
     * Each fork's own medians, per grant: how far two JVM pairs of the same servers differ, which rounds within
     * one pair cannot show.
     */
    static String forkSummary(Map<Grant, GrantResult> results, Comparison compare) {
        StringBuilder md = new StringBuilder("Per fork, " + compare.ratioLabel() + " median (and A's CPU per request over "
                + "B's, median):");
        String separator = " ";
        for (Map.Entry<Grant, GrantResult> e : results.entrySet()) {
            GrantResult r = e.getValue();
            md.append(separator).append(e.getKey().id);
            List<String> cells = new ArrayList<>();
            for (int fork : new java.util.TreeSet<>(r.fork)) {
                List<Double> ratios = new ArrayList<>();
                List<Double> cpu = new ArrayList<>();
                for (int i = 0; i < r.fork.size(); i++) {
                    if (r.fork.get(i) == fork) {
                        ratios.add(r.b.get(i).throughput() / r.a.get(i).throughput());
                        cpu.add(r.a.get(i).serverCpuMsPerRequest() / r.b.get(i).serverCpuMsPerRequest());
                    }
                }
                cells.add(String.format(Locale.ROOT, " fork %d %.3f (%.3f)", fork, median(ratios), median(cpu)));
            }
            md.append(String.join(",", cells));
            separator = "; ";
        }
        return md.append(".\n\n").toString();
    }

    /** How long each server was warmed up per grant, and how busy its JIT still was at the end. */
    static String warmUpSummary(Map<Grant, GrantResult> results, Comparison compare) {
        StringBuilder line = new StringBuilder("Warm-up per grant and server:");
        String separator = " ";
        for (Map.Entry<Grant, GrantResult> e : results.entrySet()) {
            GrantResult r = e.getValue();
            if (r.warmA.isEmpty() || r.warmB.isEmpty()) {
                continue;
            }
            line.append(separator).append(e.getKey().id).append(' ').append(compare.shortA).append(' ')
                    .append(warmUpCells(r.warmA)).append(", ").append(compare.shortB).append(' ').append(warmUpCells(r.warmB));
            separator = "; ";
        }
        return line.append(".\n\n").toString();
    }

    /** One fork's warm-up as {@link #warmUpCell}; several as "fork 1: ..., fork 2: ...". */
    private static String warmUpCells(List<WarmUp.Result> warm) {
        if (warm.size() == 1) {
            return warmUpCell(warm.get(0));
        }
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < warm.size(); i++) {
            cells.add("fork " + (i + 1) + ": " + warmUpCell(warm.get(i)));
        }
        return String.join(", ", cells);
    }

    /** "240 s (JIT 0.1% of the server's CPU in the last 30 s)", and "not quiet" when the maximum came first. */
    private static String warmUpCell(WarmUp.Result warm) {
        return String.format(Locale.ROOT, "%s (JIT %.1f%% of the server's CPU in the last %s%s)", human(warm.elapsed()),
                warm.lastCompilerShare() * 100, human(warm.lastStep()), warm.quiet() ? "" : "; not quiet: stopped at the maximum");
    }

    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run ./mvnw -B -Pbench verify -pl bench -am");
        }
        return value;
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
