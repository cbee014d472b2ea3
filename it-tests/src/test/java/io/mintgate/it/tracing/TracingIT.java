package io.mintgate.it.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.TokenResponse;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.CerbosPdp;
import io.mintgate.it.harness.DistributionKeycloak;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.OtlpReceiver;
import io.mintgate.it.harness.OtlpReceiver.ReceivedSpan;
import io.mintgate.it.harness.RealmFixture;
import io.mintgate.it.harness.TracingKeycloak;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Mintgate's spans in Keycloak's own traces: a Keycloak started with {@code --tracing-enabled=true} exports over
 * OTLP/HTTP to a receiver in this JVM, and each token request's trace must hold {@code mintgate.decision},
 * {@code mintgate.audit.append} and (for a PDP rule) {@code mintgate.pdp} under Keycloak's server span for the token
 * endpoint, with the decision id the client saw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TracingIT {

    private static final Duration EXPORT = Duration.ofSeconds(30);
    private static final Pattern DECISION_IN_ERROR = Pattern.compile("decision: ([0-9a-f-]{36})\\)$");

    private static final String CERBOS_POLICY = """
            apiVersion: api.cerbos.dev/v1
            resourcePolicy:
              version: "default"
              resource: "api"
              rules:
                - actions: ["mint"]
                  effect: EFFECT_ALLOW
                  roles: ["*"]
                  condition:
                    match:
                      expr: request.principal.id == "agent-pdp"
            """;

    /** A PDP url nothing listens on (port 9, discard, is closed on loopback) until Cerbos replaces it. */
    private static final String UNREACHABLE_PDP = "http://127.0.0.1:9";

    private static final String POLICY = """
            {"pdps": {"cerbos": {"url": "%s", "timeout": "PT2S"}},
             "rules": [
               {"name": "retired-agents", "deny": "client.clientId == 'agent-retired'",
                "reason": "client_retired", "message": "This client is retired."},
               {"name": "mint-via-cerbos", "match": "client.clientId.startsWith('agent-pdp')",
                "reason": "pdp_denied", "message": "The policy decision point refused this token.",
                "authzen": {"pdp": "cerbos",
                            "subject": {"type": "'client'", "id": "client.clientId"},
                            "action": {"name": "'mint'"},
                            "resource": {"type": "'api'", "id": "'billing-api'"}}},
               {"name": "stamp-decision-id", "allowIf": "true", "reason": "stamp",
                "obligations": {"decisionIdClaim": "true"}}
             ]}""";

    private OtlpReceiver otlp;
    private DistributionKeycloak keycloak;
    private RealmFixture realm;
    private OidcClient oidc;
    private CerbosPdp cerbos;

    @BeforeAll
    void start() {
        otlp = OtlpReceiver.start();
        keycloak = TracingKeycloak.start(otlp.uri());
        realm = RealmFixture.create(new AdminApi(keycloak), "tracing.json");
        realm.applyIssuancePolicies("tracing", POLICY.formatted(UNREACHABLE_PDP));
        oidc = new OidcClient(keycloak, realm.name());
    }

    @AfterAll
    void stop() {
        if (realm != null) {
            realm.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
        if (cerbos != null) {
            cerbos.close();
        }
        if (otlp != null) {
            otlp.close();
        }
    }

    @Test
    @Order(1)
    void anAllowedTokenRequestHasDecisionAndAuditAppendSpansUnderKeycloaksTokenEndpointSpan() throws Exception {
        TokenResponse response = oidc.clientCredentials("agent-traced", "agent-traced-secret", null);
        assertThat(response.indicatesSuccess()).as("token for agent-traced").isTrue();
        String accessToken = response.toSuccessResponse().getTokens().getAccessToken().getValue();
        JWTClaimsSet claims = oidc.verify(accessToken);
        String decisionId = claims.getStringClaim("mintgate_decision_id");
        assertThat(decisionId).isNotBlank();

        ReceivedSpan decision = otlp.await("the decision " + decisionId,
                s -> s.name().equals("mintgate.decision") && decisionId.equals(s.attribute("mintgate.decision.id")), EXPORT);
        assertThat(decision.attributes()).containsEntry("mintgate.decision.outcome", "allow")
                .containsEntry("kc.realmName", realm.name())
                .containsEntry("kc.clientId", "agent-traced")
                .containsEntry("mintgate.grant_type", "client_credentials")
                .doesNotContainKeys("mintgate.decision.reason", "mintgate.decision.rule", "mintgate.decision.mode");
        assertThat((String) decision.attribute("mintgate.policy.version")).startsWith("sha256:");
        assertThat(decision.statusCode()).isNotEqualTo("STATUS_CODE_ERROR");
        ReceivedSpan server = tokenEndpointSpanAbove(decision);

        ReceivedSpan append = otlp.await("the audit append of " + decisionId,
                s -> s.name().equals("mintgate.audit.append") && decisionId.equals(s.attribute("mintgate.decision.id")), EXPORT);
        assertThat(append.traceId()).isEqualTo(decision.traceId());
        assertThat((Long) append.attribute("mintgate.audit.records")).isGreaterThanOrEqualTo(1L);
        assertThat(append.attribute("mintgate.audit.guarantee")).isEqualTo("before-response");
        assertThat(append.statusCode()).isNotEqualTo("STATUS_CODE_ERROR");
        assertThat(tokenEndpointSpanAbove(append).spanId()).isEqualTo(server.spanId());

        assertNoSecretOnMintgateSpans(decision.traceId(), List.of(accessToken, "agent-traced-secret"));
        assertThat(otlp.paths()).allMatch(p -> p.equals("/v1/traces"));
        assertThat(otlp.rejected()).isZero();
    }

    @Test
    @Order(2)
    void aRefusedRequestsDecisionSpanIsADenyWithErrorStatusAndTheDecisionIdTheClientSaw() {
        TokenResponse response = oidc.clientCredentials("agent-retired", "agent-retired-secret", null);
        assertThat(response.indicatesSuccess()).isFalse();
        String description = response.toErrorResponse().getErrorObject().getDescription();
        Matcher m = DECISION_IN_ERROR.matcher(description);
        assertThat(m.find()).as("decision id in %s", description).isTrue();
        String decisionId = m.group(1);

        ReceivedSpan decision = otlp.await("the refusal " + decisionId,
                s -> s.name().equals("mintgate.decision") && decisionId.equals(s.attribute("mintgate.decision.id")), EXPORT);
        assertThat(decision.attributes()).containsEntry("mintgate.decision.outcome", "deny")
                .containsEntry("mintgate.decision.reason", "client_retired")
                .containsEntry("mintgate.decision.rule", "retired-agents")
                .containsEntry("mintgate.decision.mode", "enforce")
                .containsEntry("kc.clientId", "agent-retired");
        assertThat(decision.statusCode()).isEqualTo("STATUS_CODE_ERROR");
        assertThat(decision.statusMessage()).isEqualTo("deny: client_retired");
        ReceivedSpan server = tokenEndpointSpanAbove(decision);

        // The refusal's record is appended by Keycloak's error event, sent from a session of its own on the same
        // thread: still inside the token request's trace.
        ReceivedSpan append = otlp.await("the audit append of the refusal " + decisionId,
                s -> s.name().equals("mintgate.audit.append") && decisionId.equals(s.attribute("mintgate.decision.id")), EXPORT);
        assertThat(tokenEndpointSpanAbove(append).spanId()).isEqualTo(server.spanId());
        assertNoSecretOnMintgateSpans(decision.traceId(), List.of("agent-retired-secret"));
    }

    @Test
    @Order(3)
    void aPdpThatCannotBeReachedGivesAPdpSpanWithErrorStatusUnderTheDecision() {
        TokenResponse response = oidc.clientCredentials("agent-pdp", "agent-pdp-secret", null);
        assertThat(response.indicatesSuccess()).as("the PDP rule fails closed").isFalse();
        String decisionId = decisionIdOf(response);

        ReceivedSpan decision = otlp.await("the decision " + decisionId,
                s -> s.name().equals("mintgate.decision") && decisionId.equals(s.attribute("mintgate.decision.id")), EXPORT);
        ReceivedSpan pdp = otlp.await("the failed PDP call under " + decision.spanId(),
                s -> s.name().equals("mintgate.pdp") && s.parentSpanId().equals(decision.spanId()), EXPORT);
        assertThat(pdp.kind()).isEqualTo("SPAN_KIND_CLIENT");
        assertThat(pdp.traceId()).isEqualTo(decision.traceId());
        assertThat(pdp.attributes()).containsEntry("mintgate.pdp.name", "cerbos")
                .containsEntry("server.address", "127.0.0.1")
                .containsEntry("server.port", 9L)
                .doesNotContainKey("mintgate.pdp.decision");
        assertThat(pdp.statusCode()).isEqualTo("STATUS_CODE_ERROR");
        assertThat(pdp.statusMessage()).startsWith("authzen pdp 'cerbos': evaluation");
        assertThat(decision.attribute("mintgate.decision.outcome")).isEqualTo("deny");
    }

    @Test
    @Order(4)
    void aPdpRuleGivesAPdpSpanWithTheAnswerOfTheRealCerbos() throws Exception {
        Path binary = CerbosPdp.assumeAvailable();
        cerbos = CerbosPdp.start(binary, Path.of(System.getProperty("it.work.dir", "target/it-work")).resolve("tracing"),
                Map.of("api.yaml", CERBOS_POLICY));
        realm.applyIssuancePolicies("tracing", POLICY.formatted(cerbos.baseUri()));

        TokenResponse allowed = oidc.clientCredentials("agent-pdp", "agent-pdp-secret", null);
        assertThat(allowed.indicatesSuccess()).as("Cerbos allows agent-pdp").isTrue();
        String allowedId = oidc.verify(allowed.toSuccessResponse().getTokens().getAccessToken().getValue())
                .getStringClaim("mintgate_decision_id");
        ReceivedSpan decision = otlp.await("the decision " + allowedId,
                s -> s.name().equals("mintgate.decision") && allowedId.equals(s.attribute("mintgate.decision.id")), EXPORT);
        ReceivedSpan pdp = otlp.await("Cerbos' answer under " + decision.spanId(),
                s -> s.name().equals("mintgate.pdp") && s.parentSpanId().equals(decision.spanId()), EXPORT);
        assertThat(pdp.attributes()).containsEntry("mintgate.pdp.decision", "allow")
                .containsEntry("mintgate.pdp.evaluations", 1L)
                .containsEntry("server.port", (long) cerbos.baseUri().getPort());
        assertThat(pdp.statusCode()).isNotEqualTo("STATUS_CODE_ERROR");
        tokenEndpointSpanAbove(pdp);

        TokenResponse refused = oidc.clientCredentials("agent-pdp-refused", "agent-pdp-refused-secret", null);
        String refusedId = decisionIdOf(refused);
        ReceivedSpan refusal = otlp.await("the decision " + refusedId,
                s -> s.name().equals("mintgate.decision") && refusedId.equals(s.attribute("mintgate.decision.id")), EXPORT);
        assertThat(refusal.attributes()).containsEntry("mintgate.decision.reason", "pdp_denied");
        ReceivedSpan denial = otlp.await("Cerbos' denial under " + refusal.spanId(),
                s -> s.name().equals("mintgate.pdp") && s.parentSpanId().equals(refusal.spanId()), EXPORT);
        assertThat(denial.attributes()).containsEntry("mintgate.pdp.decision", "deny");
    }

    private static String decisionIdOf(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("expected a refusal").isFalse();
        String description = response.toErrorResponse().getErrorObject().getDescription();
        Matcher m = DECISION_IN_ERROR.matcher(description);
        assertThat(m.find()).as("decision id in %s", description).isTrue();
        return m.group(1);
    }

    /**
     * Walks up from {@code span} through its parents (all in its trace) to the root, which must be Keycloak's HTTP
     * server span for this realm's token endpoint; returns it.
     */
    private ReceivedSpan tokenEndpointSpanAbove(ReceivedSpan span) {
        List<String> path = new ArrayList<>(List.of(span.name()));
        ReceivedSpan current = span;
        while (!current.isRoot()) {
            ReceivedSpan child = current;
            current = otlp.await("the parent " + child.parentSpanId() + " of " + child.name(),
                    s -> s.traceId().equals(child.traceId()) && s.spanId().equals(child.parentSpanId()), EXPORT);
            path.add(current.name());
        }
        assertThat(current.kind()).as("root of %s", path).isEqualTo("SPAN_KIND_SERVER");
        assertThat(String.valueOf(current.attribute("url.path")))
                .as("root of %s: %s", path, current.attributes())
                .isEqualTo("/realms/" + realm.name() + "/protocol/openid-connect/token");
        System.out.println("[tracing] " + String.join(" <- ", path));
        return current;
    }

    private void assertNoSecretOnMintgateSpans(String traceId, List<String> secrets) {
        List<ReceivedSpan> ours = otlp.trace(traceId).stream().filter(s -> s.name().startsWith("mintgate.")).toList();
        assertThat(ours).isNotEmpty();
        for (ReceivedSpan span : ours) {
            for (Object value : span.attributes().values()) {
                for (String secret : secrets) {
                    assertThat(String.valueOf(value)).as("%s on %s", secret.length() > 20 ? "the access token" : secret, span.name())
                            .doesNotContain(secret);
                }
            }
            assertThat(span.statusMessage()).doesNotContain(secrets);
        }
    }
}
