package io.mintgate.it.audit;

import static io.mintgate.it.audit.AuditGrants.FILE_TRAIL;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditSinks;
import io.mintgate.it.harness.CloudEventsReceiver;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP collector answers 503 for at least 10 s while a bounded load runs, then recovers: tokens keep being
 * issued during the outage (the default guarantee waits for the local fsync, never for a sink: records wait in the
 * spool), and afterwards the collector holds exactly
 * one distinct record per token the client received, none missing. Kafka and the file got them all as well.
 */
@MintgateIT
class SinkOutageIT {

    private static final int TOKENS = 200;
    private static final int THREADS = 4;
    private static final long MIN_OUTAGE_MS = 10_000;

    private KeycloakRuntime keycloak;
    private AuditSinks sinks;
    private RealmFixture realm;
    private AuditGrants grants;

    @BeforeAll
    void importRealm(AdminApi admin, KeycloakRuntime keycloak, AuditSinks sinks) {
        this.keycloak = keycloak;
        this.sinks = sinks;
        realm = RealmFixture.create(admin, "grants.json");
        grants = new AuditGrants(admin, keycloak, realm);
    }

    @AfterAll
    void dropRealm() {
        sinks.http().setUnavailable(false);
        realm.close();
    }

    @Test
    void everyTokenIssuedDuringACollectorOutageArrivesExactlyOnceAfterRecovery() throws Exception {
        CloudEventsReceiver collector = sinks.http();
        int refusedBefore = collector.refusedDuringOutage();
        int deliveriesBefore = collector.deliveries();
        int duplicatesBefore = collector.duplicates();

        collector.setUnavailable(true);
        long outageStart = System.currentTimeMillis();
        Load load = new Load(grants, "svc").start(THREADS, TOKENS);
        // The outage lasts until the load is done, at least MIN_OUTAGE_MS, and the sink has been refused at least
        // once (it really tried during the outage); bounded by a deadline.
        boolean outageSeen = AuditGrants.pollUntil(() -> load.finished()
                && System.currentTimeMillis() - outageStart >= MIN_OUTAGE_MS
                && collector.refusedDuringOutage() > refusedBefore, 120_000);
        load.join(30_000);
        collector.setUnavailable(false);
        long outageMs = System.currentTimeMillis() - outageStart;
        assertThat(outageSeen).as("the HTTP sink tried and was refused during the outage").isTrue();
        assertThat(load.failures()).as("token requests failing during a collector outage (default guarantee)").isZero();
        assertThat(load.received()).isEqualTo(TOKENS);

        long recoveryStart = System.currentTimeMillis();
        Map<String, Map<String, List<String>>> perSink = sinks.awaitAllInEach(keycloak, FILE_TRAIL,
                "tokens issued during the outage", load.receivedJtis(), r -> r.at("/data/tokenId").asText(),
                Duration.ofSeconds(90));
        long recoveryMs = System.currentTimeMillis() - recoveryStart;

        Map<String, List<String>> httpIdsByJti = perSink.get("http");
        for (String jti : load.receivedJtis()) {
            assertThat(httpIdsByJti.get(jti)).as("distinct record ids for token %s at the collector", jti).hasSize(1);
            assertThat(perSink.get("kafka").get(jti)).as("distinct record ids for token %s on Kafka", jti).hasSize(1);
            assertThat(perSink.get("file").get(jti)).as("distinct record ids for token %s in the file", jti).hasSize(1);
        }
        for (JsonNode r : collector.records()) {
            if (load.receivedJtis().contains(r.at("/data/tokenId").asText())) {
                assertThat(r.at("/type").asText()).isEqualTo("io.mintgate.token.issued");
                assertThat(r.at("/data/clientId").asText()).isEqualTo("svc");
            }
        }
        System.out.printf("[outage] %d tokens over %d threads; collector answered 503 for %d ms (%d refused POSTs); "
                        + "all %d records at the collector %d ms after recovery; deliveries %d, duplicates ignored %d%n",
                load.received(), THREADS, outageMs, collector.refusedDuringOutage() - refusedBefore,
                load.received(), recoveryMs, collector.deliveries() - deliveriesBefore,
                collector.duplicates() - duplicatesBefore);
        assertThat(collector.badSignatures()).isZero();
    }
}
