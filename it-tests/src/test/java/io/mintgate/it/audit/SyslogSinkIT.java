package io.mintgate.it.audit;

import static io.mintgate.it.audit.AuditGrants.FILE_TRAIL;
import static io.mintgate.it.audit.AuditGrants.SINK_TIMEOUT;
import static io.mintgate.it.audit.AuditGrants.accessToken;
import static io.mintgate.it.audit.AuditGrants.decisionId;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mintgate.audit.format.RecordFormat;
import io.mintgate.audit.ship.SyslogSink;
import io.mintgate.audit.spool.SpoolEntry;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditSinks;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.PublishedSchema;
import io.mintgate.it.harness.RealmFixture;
import io.mintgate.it.harness.SyslogReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The syslog sink against a real rsyslogd started by the harness ({@link SyslogReceiver}). The shared server ships
 * every record as OCSF over TLS (RFC 5425, octet counting, server certificate checked against the test CA): an issued
 * and a refused token arrive as RFC 5424 messages whose structured data carries the record's id and chain position,
 * and whose body is the record's OCSF rendering, valid against the OCSF subset schema the jar ships. Plain TCP with
 * octet counting (RFC 6587) and the json body is shown with the sink class itself sending the server's own records.
 */
@MintgateIT
class SyslogSinkIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SD_PARAM = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private KeycloakRuntime keycloak;
    private AuditSinks sinks;
    private RealmFixture realm;
    private AuditGrants grants;
    private SinkRecords records;

    @BeforeAll
    void importRealm(AdminApi admin, KeycloakRuntime keycloak, AuditSinks sinks) {
        this.keycloak = keycloak;
        this.sinks = sinks;
        realm = RealmFixture.create(admin, "grants.json");
        grants = new AuditGrants(admin, keycloak, realm);
        records = new SinkRecords(keycloak, sinks, realm.name());
    }

    @AfterAll
    void dropRealm() {
        realm.close();
    }

    @Test
    void anIssuedTokenArrivesOverTlsAsAnOcsfAuthenticationEventWithItsChainInStructuredData() {
        String jti = grants.oidc().verify(accessToken(grants.clientCredentials("svc"))).getJWTID();
        JsonNode record = records.issued(jti, "svc", "client_credentials");

        JsonNode message = received(true, record);
        assertThat(message.path("pri").asInt()).as("PRI: authpriv (10) * 8 + informational (6)").isEqualTo(86);
        assertThat(message.path("msgid").asText()).isEqualTo("token.issued");
        JsonNode ocsf = ocsfBody(message);
        assertThat(ocsf.path("class_uid").asInt()).isEqualTo(3002);
        assertThat(ocsf.path("activity_id").asInt()).isEqualTo(4);
        assertThat(ocsf.path("status_id").asInt()).isEqualTo(1);
        assertThat(ocsf.at("/user/uid").asText()).isEqualTo(record.at("/data/subject").asText()).isNotEmpty();
        assertThat(ocsf.at("/service/name").asText()).isEqualTo("svc");
        assertThat(ocsf.at("/authorizations/0/decision").asText()).isEqualTo("allowed");
        assertThat(ocsf.at("/unmapped/mintgate/tokenId").asText()).isEqualTo(jti);
    }

    @Test
    void aRefusedTokenArrivesOverTlsWithTheDecisionUnderAuthorizations() {
        String decisionId = decisionId(grants.clientCredentials("svc-flagged"));
        JsonNode record = records.refused(decisionId, "svc-flagged", "client_credentials");

        JsonNode message = received(true, record);
        assertThat(message.path("pri").asInt()).as("PRI: authpriv (10) * 8 + warning (4)").isEqualTo(84);
        assertThat(message.path("msgid").asText()).isEqualTo("token.denied");
        assertThat(sdParams(message)).containsEntry("decision", decisionId).containsEntry("outcome", "deny");
        JsonNode ocsf = ocsfBody(message);
        assertThat(ocsf.path("class_uid").asInt()).isEqualTo(3002);
        assertThat(ocsf.path("status_id").asInt()).isEqualTo(2);
        assertThat(ocsf.path("status_code").asText()).isEqualTo(record.at("/data/error").asText());
        assertThat(ocsf.path("disposition_id").asInt()).as("Blocked").isEqualTo(2);
        assertThat(ocsf.at("/authorizations/0/decision").asText()).isEqualTo("denied");
        assertThat(ocsf.at("/authorizations/0/policy/name").asText())
                .isEqualTo(record.at("/data/decision/rule").asText()).isNotEmpty();
        assertThat(ocsf.at("/metadata/correlation_uid").asText()).isEqualTo(decisionId);
    }

    @Test
    void overPlainTcpEachRecordIsOneOctetCountedMessageWithTheChainedJsonAsItsBody() throws Exception {
        grants.clientCredentials("svc");
        List<JsonNode> trail = AuditSinks.fileRecords(keycloak, FILE_TRAIL);
        List<JsonNode> sent = trail.subList(Math.max(0, trail.size() - 5), trail.size());
        List<SpoolEntry> batch = new ArrayList<>();
        for (JsonNode r : sent) {
            batch.add(new SpoolEntry(r.path("mintgateseq").asLong(), System.currentTimeMillis(),
                    JSON.writeValueAsBytes(r)));
        }
        SyslogReceiver receiver = sinks.syslog();
        try (SyslogSink sink = new SyslogSink(new SyslogSink.Settings("127.0.0.1", receiver.tcpPort(), false, null,
                null, null, null, null, "mintgate", "it-tcp", 4, "mintgate@32473", RecordFormat.JSON, 10_000))) {
            sink.send(batch);
        }
        for (JsonNode record : sent) {
            JsonNode message = received(false, record);
            assertThat(message.path("hostname").asText()).isEqualTo("it-tcp");
            assertThat(message.path("pri").asInt() / 8).as("facility auth").isEqualTo(4);
            String body = message.path("msg").asText();
            assertThat(body).startsWith("\uFEFF");
            assertThat(JSON.readTree(body.substring(1))).isEqualTo(record);
        }
    }

    /** The message rsyslog parsed whose SD-PARAMs name this record and its exact chain position. */
    private JsonNode received(boolean tls, JsonNode record) {
        String id = record.path("id").asText();
        JsonNode message = sinks.syslog().await(tls, "record " + id,
                m -> id.equals(sdParams(m).get("id")), SINK_TIMEOUT);
        assertThat(message.path("appname").asText()).isEqualTo("mintgate");
        if (tls) {
            assertThat(message.path("hostname").asText()).isEqualTo(AuditSinks.SYSLOG_HOSTNAME);
        }
        assertThat(message.path("sd").asText()).startsWith("[mintgate@32473 ");
        Map<String, String> sd = sdParams(message);
        assertThat(sd).containsEntry("chain", record.path("mintgatechain").asText())
                .containsEntry("seq", record.path("mintgateseq").asText())
                .containsEntry("prev", record.path("mintgateprev").asText())
                .containsEntry("hash", record.path("mintgatehash").asText());
        return message;
    }

    /** The body after the BOM, checked against the OCSF subset schema in the bundle jar and against the record. */
    private static JsonNode ocsfBody(JsonNode message) {
        String body = message.path("msg").asText();
        assertThat(body).as("RFC 5424 UTF-8 MSG starts with a BOM").startsWith("\uFEFF");
        JsonNode ocsf;
        try {
            ocsf = JSON.readTree(body.substring(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(PublishedSchema.ocsfProblems(ocsf)).as("OCSF schema problems of %s", ocsf).isEmpty();
        assertThat(ocsf.at("/metadata/product/name").asText()).isEqualTo("Mintgate");
        assertThat(ocsf.at("/metadata/uid").asText()).isEqualTo(sdParams(message).get("id"));
        assertThat(ocsf.at("/unmapped/mintgate/hash").asText()).isEqualTo(sdParams(message).get("hash"));
        return ocsf;
    }

    private static Map<String, String> sdParams(JsonNode message) {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = SD_PARAM.matcher(message.path("sd").asText());
        while (m.find()) {
            params.put(m.group(1), m.group(2).replaceAll("\\\\(.)", "$1"));
        }
        return params;
    }
}
