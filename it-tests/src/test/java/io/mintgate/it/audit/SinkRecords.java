package io.mintgate.it.audit;

import static io.mintgate.it.audit.AuditGrants.FILE_TRAIL;
import static io.mintgate.it.audit.AuditGrants.SINK_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.it.harness.AuditSinks;
import io.mintgate.it.harness.KeycloakRuntime;

/**
 * Awaits one token record of one realm in EACH real sink (file, HTTP collector, Kafka topic), checks the documented
 * fields every issuance or refusal record carries, and that the three sinks hold the very same record.
 */
final class SinkRecords {

    static final String ISSUED = "io.mintgate.token.issued";
    static final String DENIED = "io.mintgate.token.denied";

    private final KeycloakRuntime keycloak;
    private final AuditSinks sinks;
    private final String realm;

    SinkRecords(KeycloakRuntime keycloak, AuditSinks sinks, String realm) {
        this.keycloak = keycloak;
        this.sinks = sinks;
        this.realm = realm;
    }

    /** The issuance record of the token with this jti ({@code data.tokenId}). */
    JsonNode issued(String jti, String clientId, String grantType) {
        JsonNode record = issuedMatching(grantType + " issuance of " + jti,
                r -> jti.equals(r.at("/data/tokenId").asText()), clientId, grantType);
        assertThat(record.at("/data/tokenId").asText()).as("tokenId").isEqualTo(jti);
        return record;
    }

    /** The issuance record the predicate picks out, with the fields every issuance carries; returns it. */
    JsonNode issuedMatching(String what, Predicate<JsonNode> matching, String clientId, String grantType) {
        Map<String, JsonNode> records = await(what, matching);
        for (var entry : records.entrySet()) {
            JsonNode r = entry.getValue();
            String sink = entry.getKey();
            assertCommon(sink, r, ISSUED, clientId, grantType);
            assertThat(r.at("/data/decision/outcome").asText()).as("%s decision outcome", sink).isEqualTo("allow");
        }
        return sameRecordEverywhere(records);
    }

    /** The refusal record carrying the decision id the client saw in the OAuth error description. */
    JsonNode refused(String decisionId, String clientId, String grantType) {
        JsonNode record = refusedMatching(grantType + " refusal " + decisionId,
                r -> decisionId.equals(r.at("/data/decision/id").asText()), clientId, grantType);
        assertThat(record.at("/data/decision/id").asText()).as("decision id").isEqualTo(decisionId);
        return record;
    }

    /** The refusal record the predicate picks out, with the fields every refusal carries; returns it. */
    JsonNode refusedMatching(String what, Predicate<JsonNode> matching, String clientId, String grantType) {
        Map<String, JsonNode> records = await(what, matching);
        for (var entry : records.entrySet()) {
            JsonNode r = entry.getValue();
            String sink = entry.getKey();
            assertCommon(sink, r, DENIED, clientId, grantType);
            assertThat(r.at("/data/decision/id").asText()).as("%s decision id", sink).matches("[0-9a-f-]{36}");
            assertThat(r.at("/data/decision/outcome").asText()).as("%s decision outcome", sink).isEqualTo("deny");
            assertThat(r.at("/data/error").asText()).as("%s error", sink).isNotEmpty();
            assertThat(r.at("/data/tokenId").isMissingNode()).as("%s: a refusal names no token", sink).isTrue();
        }
        return sameRecordEverywhere(records);
    }

    /** Waits for a record of this realm matching {@code matching} in every sink; returns it per sink. */
    private Map<String, JsonNode> await(String what, Predicate<JsonNode> matching) {
        Predicate<JsonNode> inRealm = r -> realm.equals(r.at("/data/realm").asText());
        return sinks.awaitInEach(keycloak, FILE_TRAIL, what, inRealm.and(matching), SINK_TIMEOUT);
    }

    private void assertCommon(String sink, JsonNode r, String type, String clientId, String grantType) {
        assertThat(r.at("/specversion").asText()).as("%s specversion", sink).isEqualTo("1.0");
        assertThat(r.at("/type").asText()).as("%s type", sink).isEqualTo(type);
        assertThat(r.at("/source").asText()).as("%s source", sink).isEqualTo("/realms/" + realm);
        assertThat(r.at("/data/realm").asText()).as("%s realm", sink).isEqualTo(realm);
        assertThat(r.at("/data/clientId").asText()).as("%s clientId", sink).isEqualTo(clientId);
        assertThat(r.at("/data/grantType").asText()).as("%s grantType", sink).isEqualTo(grantType);
        assertThat(r.at("/mintgatehash").asText()).as("%s hash", sink).matches("[0-9a-f]{64}");
    }

    /** The sinks carry the very same record: same id and chain position, so the hash covers the same content. */
    private static JsonNode sameRecordEverywhere(Map<String, JsonNode> records) {
        JsonNode file = records.get("file");
        for (var entry : records.entrySet()) {
            assertThat(entry.getValue()).as("%s record equals the file sink's", entry.getKey()).isEqualTo(file);
        }
        return file;
    }
}
