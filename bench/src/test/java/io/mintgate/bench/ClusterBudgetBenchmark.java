package io.mintgate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.oauth2.sdk.TokenResponse;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.DistributionKeycloak;
import io.mintgate.it.harness.KeycloakCluster;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;

/**
 * What an issuance budget check costs per token on one node and in a two-node cluster, both on PostgreSQL
 * ({@code -Dbench.kind=cluster-budget}). Two clients share one policy and differ only in the budget rule that
 * matches {@code metered-bot} (a limit never reached); rounds alternate between them on node A, and each round's
 * CPU is that of every node's JVM (in the cluster node B keeps its share of the replicated counters), so the
 * difference of the medians is the budget check's CPU per token.
 */
final class ClusterBudgetBenchmark {

    private static final List<String> CLIENTS = List.of("plain-bot", "metered-bot");

    private final int concurrency = Integer.getInteger("bench.concurrency", 8);
    private final Duration warmup = Duration.parse("PT" + System.getProperty("bench.warmup", "60s").toUpperCase(Locale.ROOT));
    private final Duration window = Duration.parse("PT" + System.getProperty("bench.duration", "10s").toUpperCase(Locale.ROOT));
    private final int rounds = Integer.getInteger("bench.rounds", 8);

    record Figures(int nodes, List<Double> plain, List<Double> metered, long tokens) {
        double plainMedian() {
            return median(plain);
        }

        double meteredMedian() {
            return median(metered);
        }
    }

    static void run() throws Exception {
        ClusterBudgetBenchmark bench = new ClusterBudgetBenchmark();
        String loadBefore = ProcCpu.loadAverage();
        List<Figures> figures = List.of(bench.measure(1), bench.measure(2));
        String report = bench.report(figures, loadBefore, ProcCpu.loadAverage());
        Path file = Path.of(System.getProperty("bench.dir", "target/bench")).resolve("cluster-budget-report.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);
        System.out.println(report);
        System.out.println("[bench] report written to " + file);
    }

    private Figures measure(int size) throws Exception {
        System.out.println("[bench] starting a " + size + "-node cluster on PostgreSQL");
        try (KeycloakCluster cluster = KeycloakCluster.start(size, "budget-bench-" + size)) {
            AdminApi admin = new AdminApi(cluster.node(0));
            RealmFixture realm = RealmFixture.create(admin, "cluster-budget.json");
            OidcClient node = new OidcClient(cluster.node(0), realm.name());
            List<Long> pids = cluster.nodes().stream().map(DistributionKeycloak::javaProcess).map(ProcessHandle::pid).toList();
            System.out.println("[bench] warm-up " + warmup.toSeconds() + " s on each client");
            for (String client : CLIENTS) {
                load(node, client, warmup);
            }
            List<Double> plain = new ArrayList<>();
            List<Double> metered = new ArrayList<>();
            long tokens = 0;
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < 2; k++) {
                    String client = CLIENTS.get((round + k) % 2);
                    long before = ticks(pids);
                    long minted = load(node, client, window);
                    double ms = ProcCpu.ticksToMillis(ticks(pids) - before) / minted;
                    (client.equals("plain-bot") ? plain : metered).add(ms);
                    tokens += minted;
                    System.out.printf(Locale.ROOT, "[bench] %d node(s), round %d, %s: %d tokens, %.3f ms CPU/token%n",
                            size, round + 1, client, minted, ms);
                }
            }
            realm.close();
            return new Figures(size, plain, metered, tokens);
        }
    }

    private static long ticks(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += ProcCpu.processTicks(pid);
        }
        return sum;
    }

    /** Closed-loop client_credentials requests for {@code length}; any refusal or error fails the benchmark. */
    private long load(OidcClient node, String client, Duration length) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicLong minted = new AtomicLong();
        long end = System.nanoTime() + length.toNanos();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        TokenResponse response = node.clientCredentials(client, client + "-secret", null);
                        if (!response.indicatesSuccess()) {
                            throw new IllegalStateException(client + " was refused: "
                                    + response.toErrorResponse().getErrorObject().toJSONObject());
                        }
                        minted.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return minted.get();
    }

    private String report(List<Figures> figures, String loadBefore, String loadAfter) {
        StringBuilder md = new StringBuilder("#### Budget check, one node and a two-node cluster (PostgreSQL)\n\n");
        md.append("**Machine:** ").append(Runtime.getRuntime().availableProcessors()).append(" cores; load average before ")
                .append(loadBefore).append(", after ").append(loadAfter).append(".  \n");
        md.append(String.format(Locale.ROOT, "**Configuration:** %d client threads on node A, client_credentials; "
                + "warm-up %d s per client; %d rounds of %d s per client, alternating; CPU of every node's JVM.%n%n",
                concurrency, warmup.toSeconds(), rounds, window.toSeconds()));
        md.append("| nodes | CPU ms/token without budget (median) | with budget (median) | budget check, ms/token | tokens |\n");
        md.append("|---|---|---|---|---|\n");
        for (Figures f : figures) {
            md.append(String.format(Locale.ROOT, "| %d | %.3f | %.3f | %+.3f | %d |%n", f.nodes(), f.plainMedian(),
                    f.meteredMedian(), f.meteredMedian() - f.plainMedian(), f.tokens()));
        }
        return md.toString();
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
