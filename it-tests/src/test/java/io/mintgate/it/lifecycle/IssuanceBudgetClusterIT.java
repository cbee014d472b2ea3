package io.mintgate.it.lifecycle;

import static io.mintgate.it.lifecycle.IssuanceBudgetIT.executor;
import static io.mintgate.it.lifecycle.IssuanceBudgetIT.profiles;
import static io.mintgate.it.lifecycle.IssuanceBudgetIT.refused;
import static io.mintgate.it.lifecycle.IssuanceBudgetIT.resetIn;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.nimbusds.oauth2.sdk.TokenResponse;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakCluster;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import io.mintgate.it.harness.SharedKeycloakCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two Keycloak 26.7.3 nodes sharing a database and an Infinispan cluster (jdbc-ping on loopback): one issuance
 * budget, whichever node a request reaches. Each node counts in the replicated {@code work} cache, so a budget of
 * N is N tokens across the cluster, not N per node, even when the requests race.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedKeycloakCluster.class)
class IssuanceBudgetClusterIT {

    private KeycloakCluster cluster;
    private RealmFixture realm;
    private List<OidcClient> nodes;

    @BeforeAll
    void createRealm(KeycloakCluster cluster) {
        this.cluster = cluster;
        AdminApi admin = new AdminApi(cluster.node(0));
        realm = RealmFixture.create(admin, "budget.json");
        nodes = List.of(new OidcClient(cluster.node(0), realm.name()), new OidcClient(cluster.node(1), realm.name()));
        // Configured through node A only: node B learns it from the shared database and the cluster's invalidations.
        admin.put(realm.path() + "/client-policies/profiles", profiles(List.of(executor("""
                {"rules": [
                  {"name": "cluster-budget", "reason": "budget_exhausted", "match": "client.clientId == 'cluster-bot'",
                   "budget": {"key": "client", "limit": 4, "window": "PT1H"}},
                  {"name": "race-budget", "reason": "budget_exhausted", "match": "client.clientId == 'trial-bot'",
                   "budget": {"key": "client", "limit": 5, "window": "PT1H"}}]}
                """))))
                .expect(204);
    }

    @AfterAll
    void deleteRealm() {
        // the cluster is shared with the other cluster classes: SharedKeycloakCluster stops it when the run ends
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    void aBudgetOfFourIsFourTokensAcrossBothNodes() {
        BudgetWindows.windowWithAtLeast(Duration.ofHours(1), Duration.ofSeconds(60));
        Instant windowEnd = BudgetWindows.endOfWindowAt(Instant.now(), Duration.ofHours(1));
        for (int i = 0; i < 4; i++) {
            OidcClient node = nodes.get(i % 2);
            TokenResponse response = node.clientCredentials("cluster-bot", "cluster-bot-secret", null);
            assertThat(response.indicatesSuccess()).as("token %d from node %s: %s", i + 1, node.realmUri(),
                    response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
            assertThat(node.verify(response.toSuccessResponse().getTokens().getAccessToken().getValue())
                    .getClaim("azp")).isEqualTo("cluster-bot");
        }
        for (OidcClient node : nodes) {
            String description = refused(node.clientCredentials("cluster-bot", "cluster-bot-secret", null),
                    "budget_exhausted").getDescription();
            assertThat(resetIn(description)).as("reset reported by %s", node.realmUri()).isEqualTo(windowEnd);
        }
    }

    @Test
    void racingRequestsOnBothNodesGetExactlyTheBudget() throws Exception {
        BudgetWindows.windowWithAtLeast(Duration.ofHours(1), Duration.ofSeconds(60));
        int requests = 12;
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<TokenResponse>> responses = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                OidcClient node = nodes.get(i % 2);
                responses.add(pool.submit(() -> {
                    start.await();
                    return node.clientCredentials("trial-bot", "trial-bot-secret", null);
                }));
            }
            start.countDown();
            int minted = 0;
            for (Future<TokenResponse> response : responses) {
                TokenResponse r = response.get();
                if (r.indicatesSuccess()) {
                    minted++;
                } else {
                    refused(r, "budget_exhausted");
                }
            }
            assertThat(minted).as("tokens minted by %d racing requests on two nodes under a budget of 5", requests)
                    .isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
    }
}
