package io.mintgate.it.policy;

import static io.mintgate.it.policy.StoredPolicyIT.TYPE;
import static io.mintgate.it.policy.StoredPolicyIT.component;
import static io.mintgate.it.policy.StoredPolicyIT.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.TokenResponse;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakCluster;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import io.mintgate.it.harness.SharedKeycloakCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two Keycloak nodes on one PostgreSQL database: a stored policy (a realm component) changed through node A's admin
 * API decides node B's next tokens once Keycloak's cluster invalidation has reached B (polled, bounded): B refuses
 * the client the new text denies, with its reason, and mints for the one it no longer denies. The same for a profile
 * change that points the executor at another stored policy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedKeycloakCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoredPolicyClusterIT {

    /** How long node B may take to see a change made on node A: invalidation is asynchronous but quick. */
    private static final Duration PROPAGATION = Duration.ofSeconds(30);

    private KeycloakCluster cluster;
    private AdminApi adminA;
    private RealmFixture realm;
    private OidcClient nodeA;
    private OidcClient nodeB;

    @BeforeAll
    void createRealm(KeycloakCluster cluster) {
        this.cluster = cluster;
        adminA = new AdminApi(cluster.node(0));
        // stored-policy.json: the executor names the stored policy "agents", which denies clients of kind ai-agent
        realm = RealmFixture.create(adminA, "stored-policy.json");
        nodeA = new OidcClient(cluster.node(0), realm.name());
        nodeB = new OidcClient(cluster.node(1), realm.name());
    }

    @AfterAll
    void deleteRealm() {
        // the cluster is shared with the other cluster classes: SharedKeycloakCluster stops it when the run ends
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    @Order(1)
    void aStoredPolicyEditedOnNodeADecidesNodeBsNextTokens() {
        // both nodes decide with the imported text; node B has compiled and cached it
        for (OidcClient node : List.of(nodeA, nodeB)) {
            refused(node.clientCredentials("rogue-agent", "rogue-agent-secret", null), "agents_blocked");
            assertThat(minted(node, node.clientCredentials("ci-runner", "ci-runner-secret", null)).getClaim("azp"))
                    .isEqualTo("ci-runner");
        }
        String id = adminA.get(realm.path() + "/components?type=" + TYPE + "&name=agents").expect(200).json()
                .path(0).path("id").asText();
        assertThat(id).isNotEmpty();

        adminA.put(realm.path() + "/components/" + id, component("agents", """
                {"rules": [{"name": "no-ci", "reason": "no_ci_here",
                  "deny": "client.attributes[?'mintgate.kind'].orValue('') == 'ci-runner'"}]}""")).expect(204);

        ErrorObject error = awaitRefusal(() -> nodeB.clientCredentials("ci-runner", "ci-runner-secret", null), "no_ci_here");
        assertThat(error.getCode()).isEqualTo("access_denied");
        JWTClaimsSet agent = minted(nodeB, nodeB.clientCredentials("rogue-agent", "rogue-agent-secret", null));
        assertThat(agent.getClaim("azp")).isEqualTo("rogue-agent");
        // and node A, where the change was made, agrees
        refused(nodeA.clientCredentials("ci-runner", "ci-runner-secret", null), "no_ci_here");
    }

    @Test
    @Order(2)
    void aProfileSwitchedOnNodeAToAnotherStoredPolicyDecidesNodeB() {
        adminA.post(realm.path() + "/components", component("exempt-only", """
                {"rules": [{"name": "exempt-only", "reason": "not_exempt",
                  "deny": "client.clientId != 'exempt-bot'"}]}""")).expect(201);
        // node B decides with the policy the executor names now (whichever text "agents" has)
        TokenResponse before = nodeB.clientCredentials("exempt-bot", "exempt-bot-secret", null);
        assertThat(before.indicatesSuccess() ? "" : before.toErrorResponse().getErrorObject().getDescription())
                .doesNotContain("not_exempt");

        adminA.put(realm.path() + "/client-policies/profiles", Map.of("profiles", List.of(Map.of("name", "mintgate",
                "executors", List.of(Map.of("executor", "issuance-authorizer",
                        "configuration", Map.of("policy-name", "exempt-only"))))))).expect(204);

        awaitRefusal(() -> nodeB.clientCredentials("ci-runner", "ci-runner-secret", null), "not_exempt");
        refused(nodeB.clientCredentials("rogue-agent", "rogue-agent-secret", null), "not_exempt");
        assertThat(minted(nodeB, nodeB.clientCredentials("exempt-bot", "exempt-bot-secret", null)).getClaim("azp"))
                .isEqualTo("exempt-bot");
    }

    /** Requests until a refusal with {@code reason} comes back, for at most {@link #PROPAGATION}; returns it. */
    private static ErrorObject awaitRefusal(Supplier<TokenResponse> request, String reason) {
        long started = System.nanoTime();
        long deadline = started + PROPAGATION.toNanos();
        String last;
        do {
            TokenResponse response = request.get();
            last = response.indicatesSuccess() ? "a token" : response.toErrorResponse().getErrorObject().toJSONObject().toString();
            if (!response.indicatesSuccess() && String.valueOf(response.toErrorResponse().getErrorObject().getDescription())
                    .contains("(reason: " + reason + ", ")) {
                ErrorObject error = response.toErrorResponse().getErrorObject();
                assertThat(error.getDescription()).containsPattern("\\(reason: " + reason + ", decision: [0-9a-f-]{36}\\)$");
                System.out.printf("[stored-policy cluster] node B refused with %s after %d ms%n", reason,
                        Duration.ofNanos(System.nanoTime() - started).toMillis());
                return error;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("node B did not refuse with reason " + reason + " within " + PROPAGATION + "; last: " + last);
    }

    private static JWTClaimsSet minted(OidcClient node, TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected a token from %s, got %s", node.realmUri(),
                response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        return node.verify(response.toSuccessResponse().getTokens().getAccessToken().getValue());
    }
}
