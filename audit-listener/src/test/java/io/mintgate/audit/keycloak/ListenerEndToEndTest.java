package io.mintgate.audit.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.audit.record.RecordJson;
import io.mintgate.audit.record.RecordSchema;
import io.mintgate.audit.spool.AuditUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keycloak.Config;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListenerEndToEndTest {
    private static final String PREFIX = "mintgate.test.";

    @TempDir
    Path dir;
    private MintgateAuditListenerFactory factory;
    private final FakeSession keycloak = new FakeSession();

    @BeforeEach
    void startFactory() {
        factory = factory(Map.of("spool-dir", dir.toString(), "checkpoint-every-records", "0",
                "checkpoint-every-ms", "0"));
    }

    private MintgateAuditListenerFactory factory(Map<String, String> options) {
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(PREFIX))
                .forEach(System::clearProperty);
        options.forEach((k, v) -> System.setProperty(PREFIX + k, v));
        MintgateAuditListenerFactory f = new MintgateAuditListenerFactory();
        f.init(new Config.SystemPropertiesScope(PREFIX));
        f.postInit(null);
        return f;
    }

    @AfterEach
    void stop() {
        if (factory != null) {
            factory.close();
        }
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(PREFIX))
                .forEach(System::clearProperty);
    }

    @Test
    void aCommittedTokenIssuanceEndsUpInAuditJsonlWithTypeClientAndDecision() throws Exception {
        EventListenerProvider listener = factory.create(keycloak.session());
        Map<String, String> details = new HashMap<>(Map.of("grant_type", "client_credentials", "scope", "openid orders:read",
                "token_id", "jti-42", "mintgate_decision_id", "dec-1", "mintgate_rule", "rule-7",
                "mintgate_mode", "enforce", "mintgate_outcome", "allow", "mintgate_policy_version", "v9",
                "mintgate_narrowed", "scope:-payments:write;exp:300s", "mintgate_shadow_denials", "rule-3,rule-4"));
        details.put("mintgate_rule_errors", "ip-check,geo");
        listener.onEvent(event(EventType.CLIENT_LOGIN, "orders-svc", null, details));
        keycloak.commit();

        JsonNode record = singleLine();
        assertThat(record.path("specversion").asText()).isEqualTo("1.0");
        assertThat(record.path("type").asText()).isEqualTo("io.mintgate.token.issued");
        assertThat(record.path("source").asText()).isEqualTo("/realms/acme");
        assertThat(record.path("data").path("clientId").asText()).isEqualTo("orders-svc");
        assertThat(record.path("data").path("grantType").asText()).isEqualTo("client_credentials");
        assertThat(record.path("data").path("scopes").toString()).isEqualTo("[\"openid\",\"orders:read\"]");
        assertThat(record.path("data").path("tokenId").asText()).isEqualTo("jti-42");
        JsonNode decision = record.path("data").path("decision");
        assertThat(decision.path("id").asText()).isEqualTo("dec-1");
        assertThat(decision.path("rule").asText()).isEqualTo("rule-7");
        assertThat(decision.path("mode").asText()).isEqualTo("enforce");
        assertThat(decision.path("outcome").asText()).isEqualTo("allow");
        assertThat(decision.path("policyVersion").asText()).isEqualTo("v9");
        assertThat(decision.path("narrowed").asText()).isEqualTo("scope:-payments:write;exp:300s");
        assertThat(decision.path("shadowDenials").toString()).isEqualTo("[\"rule-3\",\"rule-4\"]");
        assertThat(decision.path("ruleErrors").toString()).as("rules that failed, the token minted anyway")
                .isEqualTo("[\"ip-check\",\"geo\"]");
        assertThat(record.path("data").path("details").has("mintgate_rule_errors")).isFalse();
        assertThat(record.path("mintgateseq").asLong()).isEqualTo(1);
        assertThat(record.path("mintgatehash").asText()).hasSize(64);
    }

    @Test
    void aMintgateDenialIsRecordedAsDeniedWithTheKeycloakError() throws Exception {
        EventListenerProvider listener = factory.create(keycloak.session());
        listener.onEvent(event(EventType.CLIENT_LOGIN_ERROR, "batch-job", "access_denied",
                Map.of("grant_type", "client_credentials", "mintgate_outcome", "deny", "mintgate_rule", "no-prod",
                        "mintgate_reason", "client not allowed in prod")));
        keycloak.commit();

        JsonNode record = singleLine();
        assertThat(record.path("type").asText()).isEqualTo("io.mintgate.token.denied");
        assertThat(record.path("data").path("error").asText()).isEqualTo("access_denied");
        assertThat(record.path("data").path("decision").path("reason").asText()).isEqualTo("client not allowed in prod");
    }

    @Test
    void aRolledBackTransactionLeavesNoIssuedRecord() throws Exception {
        EventListenerProvider listener = factory.create(keycloak.session());
        listener.onEvent(event(EventType.CODE_TO_TOKEN, "web", null, Map.of("grant_type", "authorization_code")));
        keycloak.rollback();
        listener.onEvent(event(EventType.REVOKE_GRANT, "web", null, Map.of()));
        keycloak.commit();

        JsonNode record = singleLine();
        assertThat(record.path("type").asText()).isEqualTo("io.mintgate.token.revoked");
    }

    @Test
    void eventsThatAreNotAuditedProduceNothing() throws Exception {
        EventListenerProvider listener = factory.create(keycloak.session());
        listener.onEvent(event(EventType.UPDATE_PROFILE, "account", null, Map.of()));
        listener.onEvent(event(EventType.CLIENT_LOGIN, "svc", null, Map.of()));
        keycloak.commit();

        assertThat(singleLine().path("data").path("clientId").asText()).isEqualTo("svc");
    }

    @Test
    void aClientSecretRotationIsAnNhiChangeAndNeverCopiesTheRepresentation() throws Exception {
        EventListenerProvider listener = factory.create(keycloak.session());
        AdminEvent admin = new AdminEvent();
        admin.setId(UUID.randomUUID().toString());
        admin.setTime(System.currentTimeMillis());
        admin.setRealmName("acme");
        admin.setOperationType(OperationType.ACTION);
        admin.setResourceType(ResourceType.CLIENT);
        admin.setResourcePath("clients/0f1e2d/client-secret");
        admin.setRepresentation("{\"type\":\"secret\",\"value\":\"s3cr3t-value\"}");
        AuthDetails auth = new AuthDetails();
        auth.setUserId("admin-uid");
        auth.setClientId("admin-cli");
        auth.setRealmName("master");
        admin.setAuthDetails(auth);
        // realm id is null, so the listener's Keycloak lookups answer "unknown" without touching the session.
        listener.onEvent(admin, true);
        keycloak.commit();

        JsonNode record = singleLine();
        String line = Files.readString(dir.resolve("audit.jsonl"));
        assertThat(record.path("type").asText()).isEqualTo("io.mintgate.nhi.changed");
        assertThat(record.path("data").path("resource").path("secretRotation").asBoolean()).isTrue();
        assertThat(record.path("data").path("actor").path("userId").asText()).isEqualTo("admin-uid");
        assertThat(line).doesNotContain("s3cr3t-value");
    }

    @Test
    void underBeforeResponseAFullSpoolMakesTheCommitThrowSoKeycloakFailsTheRequest() {
        factory.close();
        factory = factory(Map.of("spool-dir", dir.resolve("br").toString(), "guarantee", "before-response",
                "spool-max-records", "1", "sinks", "http", "http-url", "http://127.0.0.1:9/unreachable",
                "checkpoint-every-records", "0", "checkpoint-every-ms", "0"));
        EventListenerProvider listener = factory.create(keycloak.session());
        listener.onEvent(event(EventType.CLIENT_LOGIN, "svc", null, Map.of()));
        keycloak.commit();
        listener = factory.create(keycloak.session());
        listener.onEvent(event(EventType.CLIENT_LOGIN, "svc", null, Map.of()));

        assertThatThrownBy(keycloak::commit).isInstanceOf(AuditUnavailableException.class).hasMessageContaining("full");
    }

    private JsonNode singleLine() throws Exception {
        assertThat(factory.pipeline().awaitShipped(10_000)).isTrue();
        List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        JsonNode record = RecordJson.parse(lines.get(0).getBytes(StandardCharsets.UTF_8));
        assertThat(RecordSchema.problems(record)).as("the published schema's view of %s", record).isEmpty();
        return record;
    }

    static Event event(EventType type, String clientId, String error, Map<String, String> details) {
        Event e = new Event();
        e.setId(UUID.randomUUID().toString());
        e.setTime(System.currentTimeMillis());
        e.setType(type);
        e.setRealmId("realm-uuid");
        e.setRealmName("acme");
        e.setClientId(clientId);
        e.setUserId("user-1");
        e.setIpAddress("192.0.2.10");
        e.setError(error);
        e.setDetails(new HashMap<>(details));
        return e;
    }
}
