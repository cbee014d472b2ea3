package io.mintgate.it.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a timed test: the latency of {@code POST .../mintgate/simulate} as an admin client sees it (one
 * thread, loopback HTTP, the admin token reused), over the realm policy of {@link SimulatorIT} for a narrowed client
 * credentials request, a refused one and a password grant with a shadow denial, in turn. It writes the percentiles
 * to {@code target/simulator-latency.txt} and prints them; it asserts only that every answer is the right one
 * (issue 24's target, p99 at most 50 ms, is read from the file, never asserted). docs/performance.md, "Simulator latency".
 */
@MintgateIT
class SimulatorLatencyIT {

    private static final int WARM_UP = Integer.getInteger("simulate.bench.warmup", 300);
    private static final int MEASURED = Integer.getInteger("simulate.bench.requests", 900);

    private AdminApi admin;
    private RealmFixture realm;

    @BeforeAll
    void setUp(AdminApi admin) {
        this.admin = admin;
        realm = RealmFixture.create(admin, "simulate.json");
    }

    @AfterAll
    void tearDown() {
        realm.close();
    }

    private record Case(Map<String, Object> body, String outcome) {
    }

    @Test
    void simulateLatencyIsWrittenToTarget() throws Exception {
        List<Case> cases = List.of(
                new Case(Map.of("clientId", "ci-runner", "grantType", "client_credentials", "scope", "read write"), "allow"),
                new Case(Map.of("clientId", "rogue-agent", "grantType", "client_credentials"), "deny"),
                new Case(Map.of("clientId", "app", "grantType", "password", "scope", "read",
                        "subject", Map.of("username", "bob")), "allow"));
        String path = realm.path() + "/mintgate/simulate";
        for (int i = 0; i < WARM_UP; i++) {
            simulate(path, cases.get(i % cases.size()));
        }
        long[] nanos = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            long start = System.nanoTime();
            simulate(path, cases.get(i % cases.size()));
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        String report = String.format(Locale.ROOT,
                "POST /admin/realms/{realm}/mintgate/simulate, %d requests after %d warm-up (3 kinds in turn), one thread:%n"
                        + "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                MEASURED, WARM_UP, ms(nanos, 0.50), ms(nanos, 0.90), ms(nanos, 0.99), nanos[nanos.length - 1] / 1e6);
        System.out.print(report);
        Files.writeString(Path.of("target", "simulator-latency.txt"), report);
    }

    private void simulate(String path, Case c) {
        JsonNode answer = admin.post(path, new LinkedHashMap<>(c.body())).expect(200).json();
        assertThat(answer.path("outcome").asText()).isEqualTo(c.outcome());
        assertThat(answer.at("/policies/0/trace").size()).isEqualTo(4);
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
