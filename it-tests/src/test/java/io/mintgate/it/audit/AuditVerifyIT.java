package io.mintgate.it.audit;

import static io.mintgate.it.audit.AuditGrants.FILE_TRAIL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.DistributionKeycloak;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundle's {@code verify} command on the shared server's file sink export, with the public half of the
 * checkpoint key the listener generated: the export passes intact (the server is live, so its newest records may
 * wait for their checkpoint: {@code --allow-unsigned-tail 50}, the server's checkpoint interval); a copy with a
 * deleted, an altered, or two swapped lines fails, naming the record; a copy cut short, or stripped of its
 * checkpoints and re-chained, fails as unsigned.
 */
@MintgateIT
class AuditVerifyIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SPOOL = "data/mintgate-audit";

    private DistributionKeycloak server;
    private RealmFixture realm;
    private Path export;
    private Path publicJwk;
    private List<String> lines;

    @BeforeAll
    void exportTrail(AdminApi admin, KeycloakRuntime keycloak) throws IOException {
        assumeTrue(keycloak instanceof DistributionKeycloak, "the CLI reads the server's files");
        server = (DistributionKeycloak) keycloak;
        realm = RealmFixture.create(admin, "grants.json");
        AuditGrants grants = new AuditGrants(admin, keycloak, realm);
        // Enough records for at least one signed checkpoint (every 50 records on the test server) among them.
        for (int i = 0; i < 60; i++) {
            grants.clientCredentials(i % 2 == 0 ? "svc" : "svc-flagged");
        }
        long deadline = System.currentTimeMillis() + 60_000;
        List<String> whole = List.of();
        while (System.currentTimeMillis() < deadline) {
            export = AuditCli.copyWholeLines(server.home().resolve(FILE_TRAIL));
            whole = Files.readAllLines(export, StandardCharsets.UTF_8);
            if (checkpointsAfter(whole, realm.name()) > 0) {
                break;
            }
            AuditGrants.pause(300);
        }
        assertThat(checkpointsAfter(whole, realm.name())).as("a signed checkpoint among this class's records").isPositive();
        lines = whole;
        publicJwk = AuditCli.publicJwk(server, SPOOL);
    }

    @AfterAll
    void dropRealm() {
        if (realm != null) {
            realm.close();
        }
    }

    @Test
    void theIntactExportVerifiesWithItsCheckpointSignatures() {
        AuditCli.Result result = AuditCli.verify(server, export, publicJwk, "--allow-unsigned-tail", "50");
        assertThat(result.exit()).as("%s", result).isZero();
        String chain = chainId();
        Matcher m = Pattern.compile("(?m)^chain " + Pattern.quote(chain) + ": OK: (\\d+) records \\(seq (\\d+)\\.\\.(\\d+)\\), "
                        + "(\\d+) checkpoints?, (\\d+) signatures? verified.*; unsigned tail: (none|\\d+ records? \\(seq .*)$")
                .matcher(result.stdout());
        assertThat(m.find()).as("chain line in %s", result.stdout()).isTrue();
        assertThat(result.stdout()).startsWith("OK ").contains("1 chain, ");
        assertThat(Long.parseLong(m.group(5))).as("signatures verified").isPositive();
        System.out.printf("[verify] %s%n", result.stdout().strip());
    }

    @Test
    void aCopyCutShortBeforeItsLastCheckpointFailsAsUnsigned() {
        int lastCheckpoint = lastCheckpointBefore(lines.size());
        List<String> truncated = lines.subList(0, lastCheckpoint);
        int previous = lastCheckpointBefore(lastCheckpoint);
        long from = previous < 0 ? seq(0) : seq(previous) + 1;
        long to = seq(lastCheckpoint) - 1;
        AuditCli.Result result = AuditCli.verify(server, AuditCli.write(truncated), publicJwk);
        assertThat(result.exit()).as("%s", result).isEqualTo(1);
        assertThat(result.stderr()).contains("FAILED", "chain " + chainId() + ": FAILED: record seq " + from,
                " is unsigned: records seq " + from + ".." + to + " (" + (to - from + 1) + " records), ",
                "are covered by no signed checkpoint");
    }

    @Test
    void aCopyStrippedOfItsCheckpointsAndReChainedFailsAsUnsigned() {
        List<String> stripped = new ArrayList<>(lines.stream().filter(l -> !AuditCli.isCheckpoint(l)).toList());
        stripped.remove((int) (middleRecord() - checkpointsBefore(middleRecord())));
        List<String> forged = AuditCli.rechained(stripped);
        AuditCli.Result result = AuditCli.verify(server, AuditCli.write(forged), publicJwk);
        assertThat(result.exit()).as("%s", result).isEqualTo(1);
        long first = parse(stripped.get(0)).path("mintgateseq").asLong();
        assertThat(result.stderr()).contains("FAILED", " is unsigned: records seq " + first + "..",
                "all of the chain in this export, which holds no checkpoint of it, are covered by no signed checkpoint");
    }

    private String chainId() {
        // The newest line: a spool that has run an older version starts with records that have no chain id.
        return parse(lines.get(lines.size() - 1)).path("mintgatechain").asText();
    }

    private int lastCheckpointBefore(int end) {
        for (int i = end - 1; i >= 0; i--) {
            if (AuditCli.isCheckpoint(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private long checkpointsBefore(int end) {
        return lines.subList(0, end).stream().filter(AuditCli::isCheckpoint).count();
    }

    @Test
    void aDeletedLineIsReportedAsMissing() {
        int i = middleRecord();
        List<String> tampered = new ArrayList<>(lines);
        tampered.remove(i);
        AuditCli.Result result = AuditCli.verify(server, AuditCli.write(tampered), publicJwk);
        assertThat(result.exit()).as("%s", result).isEqualTo(1);
        long deleted = seq(i);
        assertThat(result.stderr()).contains("FAILED", "record seq " + (deleted + 1) + " id " + id(i + 1) + " is missing",
                "record seq " + deleted + " is missing before this one");
    }

    @Test
    void anAlteredLineIsReportedAsAltered() throws IOException {
        int i = middleRecord();
        ObjectNode record = (ObjectNode) MAPPER.readTree(lines.get(i));
        ((ObjectNode) record.get("data")).put("clientId", "someone-else");
        List<String> tampered = new ArrayList<>(lines);
        tampered.set(i, MAPPER.writeValueAsString(record));
        AuditCli.Result result = AuditCli.verify(server, AuditCli.write(tampered), publicJwk);
        assertThat(result.exit()).as("%s", result).isEqualTo(1);
        assertThat(result.stderr()).contains("FAILED", "record seq " + seq(i) + " id " + id(i) + " is altered");
    }

    @Test
    void twoSwappedLinesAreReportedAsReordered() {
        int i = middleRecord();
        List<String> tampered = new ArrayList<>(lines);
        tampered.set(i, lines.get(i + 1));
        tampered.set(i + 1, lines.get(i));
        AuditCli.Result result = AuditCli.verify(server, AuditCli.write(tampered), publicJwk);
        assertThat(result.exit()).as("%s", result).isEqualTo(1);
        assertThat(result.stderr()).contains("FAILED", "record seq " + seq(i + 1) + " id " + id(i + 1) + " is reordered",
                "appears before seq " + seq(i));
    }

    /** A token record of this class with unique, consecutive neighbours (no re-delivered duplicates around it). */
    private int middleRecord() {
        for (int i = lines.size() - 3; i > 1; i--) {
            JsonNode r = parse(lines.get(i));
            if (realm.name().equals(r.at("/data/realm").asText()) && seq(i - 1) == seq(i) - 1 && seq(i + 1) == seq(i) + 1
                    && seq(i + 2) == seq(i) + 2 && !parse(lines.get(i + 1)).at("/type").asText().endsWith("checkpoint")) {
                return i;
            }
        }
        throw new AssertionError("no suitable record in the export");
    }

    private long seq(int line) {
        return parse(lines.get(line)).path("mintgateseq").asLong();
    }

    private String id(int line) {
        return parse(lines.get(line)).path("id").asText();
    }

    private static long checkpointsAfter(List<String> lines, String realmName) {
        int firstOfRealm = -1;
        for (int i = 0; i < lines.size() && firstOfRealm < 0; i++) {
            if (lines.get(i).contains("\"/realms/" + realmName + "\"")) {
                firstOfRealm = i;
            }
        }
        if (firstOfRealm < 0) {
            return 0;
        }
        return lines.subList(firstOfRealm, lines.size()).stream()
                .filter(l -> l.contains("\"io.mintgate.audit.checkpoint\"")).count();
    }

    private static JsonNode parse(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
