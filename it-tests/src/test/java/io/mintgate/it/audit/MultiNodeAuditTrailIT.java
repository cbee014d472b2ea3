package io.mintgate.it.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.DistributionKeycloak;
import io.mintgate.it.harness.KeycloakCluster;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two Keycloak nodes of one cluster, each with its own spool and so its own chain: their file trails, interleaved
 * into one export as a merge by time would, verify chain by chain with both nodes' public keys; a record of one node
 * changed fails that node's chain by its id while the other still verifies. The nodes are stopped cleanly before
 * the trails are read, so each ends with a signed checkpoint and no unsigned tail is allowed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiNodeAuditTrailIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SPOOL = "data/mintgate-audit";
    private static final int TOKENS_PER_NODE = 12;

    private KeycloakCluster cluster;
    private final List<List<String>> trails = new ArrayList<>();
    private final List<String> chainIds = new ArrayList<>();
    private final List<Path> publicJwks = new ArrayList<>();
    private DistributionKeycloak verifier;

    @BeforeAll
    void twoNodesAuditTokensThenStop() throws IOException {
        cluster = KeycloakCluster.start(2);
        RealmFixture realm = RealmFixture.create(new AdminApi(cluster.node(0)), "grants.json");
        for (int i = 0; i < 2 * TOKENS_PER_NODE; i++) {
            DistributionKeycloak node = cluster.node(i % 2);
            AuditGrants grants = new AuditGrants(new AdminApi(node), node, realm);
            assertThat(grants.clientCredentials("svc").indicatesSuccess()).as("token %d from node %d", i, i % 2).isTrue();
        }
        for (DistributionKeycloak node : cluster.nodes()) {
            publicJwks.add(AuditCli.publicJwk(node, SPOOL));
            chainIds.add(Files.readString(node.home().resolve(SPOOL).resolve("chain-id"), StandardCharsets.UTF_8).strip());
        }
        verifier = cluster.node(0);
        List<DistributionKeycloak> nodes = cluster.nodes();
        // A clean stop: each node writes its final checkpoint and ships it before it exits.
        cluster.close();
        cluster = null;
        for (DistributionKeycloak node : nodes) {
            trails.add(Files.readAllLines(AuditCli.copyWholeLines(node.home().resolve(SPOOL).resolve("audit.jsonl")),
                    StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void eachNodeWritesItsOwnChainIdIntoEveryRecord() {
        assertThat(chainIds.get(0)).isNotEqualTo(chainIds.get(1));
        for (int n = 0; n < 2; n++) {
            assertThat(trails.get(n)).as("node %d trail", n).hasSizeGreaterThan(TOKENS_PER_NODE);
            for (String line : trails.get(n)) {
                assertThat(parse(line).path("mintgatechain").asText()).isEqualTo(chainIds.get(n));
            }
            assertThat(trails.get(n).get(trails.get(n).size() - 1)).as("node %d ends with its final checkpoint", n)
                    .contains("\"type\":\"io.mintgate.audit.checkpoint\"");
        }
    }

    @Test
    void theInterleavedExportOfBothNodesVerifiesChainByChain() {
        AuditCli.Result result = AuditCli.verify(verifier, AuditCli.write(interleaved(trails)), publicJwks);
        assertThat(result.exit()).as("%s", result).isZero();
        assertThat(result.stdout()).startsWith("OK ").contains("2 chains, ",
                "chain " + chainIds.get(0) + ": OK: " + trails.get(0).size() + " records (seq ",
                "chain " + chainIds.get(1) + ": OK: " + trails.get(1).size() + " records (seq ", "unsigned tail: none");
        System.out.printf("[multi-node verify] %s%n", result.stdout().strip());
    }

    @Test
    void aChangedRecordOfOneNodeFailsThatNodesChainByName() {
        List<String> nodeB = new ArrayList<>(trails.get(1));
        int i = firstTokenRecord(nodeB);
        ObjectNode record = (ObjectNode) parse(nodeB.get(i));
        ((ObjectNode) record.get("data")).put("clientId", "someone-else");
        nodeB.set(i, record.toString());
        AuditCli.Result result = AuditCli.verify(verifier, AuditCli.write(interleaved(List.of(trails.get(0), nodeB))),
                publicJwks);
        assertThat(result.exit()).as("%s", result).isEqualTo(1);
        assertThat(result.stderr()).contains("FAILED", "1 of 2 chains failed",
                "chain " + chainIds.get(1) + ": FAILED: record seq " + record.path("mintgateseq").asLong() + " id "
                        + record.path("id").asText() + " is altered",
                "chain " + chainIds.get(0) + ": OK: ");
    }

    /** One line of each trail in turn, as a merge by time of two busy nodes looks. */
    private static List<String> interleaved(List<List<String>> trails) {
        List<String> merged = new ArrayList<>();
        int longest = Math.max(trails.get(0).size(), trails.get(1).size());
        for (int i = 0; i < longest; i++) {
            for (List<String> trail : trails) {
                if (i < trail.size()) {
                    merged.add(trail.get(i));
                }
            }
        }
        return merged;
    }

    private static int firstTokenRecord(List<String> trail) {
        for (int i = 0; i < trail.size(); i++) {
            if (parse(trail.get(i)).path("type").asText().startsWith("io.mintgate.token.")) {
                return i;
            }
        }
        throw new AssertionError("no token record in the trail");
    }

    private static JsonNode parse(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
