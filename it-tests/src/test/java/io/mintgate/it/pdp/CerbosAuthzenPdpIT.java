package io.mintgate.it.pdp;

import static io.mintgate.it.pdp.PdpAssertions.minted;
import static io.mintgate.it.pdp.PdpAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.TokenResponse;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.AuditTrail;
import io.mintgate.it.harness.CerbosPdp;
import io.mintgate.it.harness.CountingProxy;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Token issuance delegated to the real Cerbos PDP over OpenID AuthZEN 1.0. Mintgate calls Cerbos through a
 * counting proxy in the test JVM, so the test sees how many evaluations reached the PDP. Cerbos' own policy
 * (below) decides; Mintgate only maps the issuance to subject/action/resource.
 */
@MintgateIT
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CerbosAuthzenPdpIT {

    /** Cerbos resource policy: who may mint tokens for billing-api, and which scopes agent-scoped may get. */
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
                      all:
                        of:
                          - expr: request.principal.id in ["agent-billing", "agent-cached", "agent-late"]
                          - expr: request.resource.id == "billing-api"
                          - expr: request.principal.attr.grantType == "client_credentials"
                - actions: ["billing:read"]
                  effect: EFFECT_ALLOW
                  roles: ["*"]
                  condition:
                    match:
                      expr: request.principal.id == "agent-scoped"
            """;

    private static final String POLICY = """
            {"pdps": {"cerbos": {"url": "%s", "timeout": "PT1S", "cacheTtl": "PT5M"}},
             "rules": [
               {"name": "mint-via-cerbos", "match": "client.clientId != 'agent-scoped'",
                "reason": "pdp_denied", "message": "The policy decision point refused this token.",
                "authzen": {"pdp": "cerbos",
                            "subject": {"type": "'client'", "id": "client.clientId",
                                        "properties": {"grantType": "grant.type"}},
                            "action": {"name": "'mint'"},
                            "resource": {"type": "'api'", "id": "'billing-api'"},
                            "context": {"realm": "realm"}}},
               {"name": "scopes-via-cerbos", "match": "client.clientId == 'agent-scoped'",
                "reason": "scope_not_allowed", "message": "A requested scope was refused by the policy decision point.",
                "authzen": {"pdp": "cerbos", "per": "scope",
                            "subject": {"type": "'client'", "id": "client.clientId"},
                            "resource": {"type": "'api'", "id": "'billing-api'"}}}
             ]}""";

    private KeycloakRuntime keycloak;
    private RealmFixture realm;
    private OidcClient oidc;
    private CerbosPdp cerbos;
    private CountingProxy proxy;

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        Path binary = CerbosPdp.assumeAvailable();
        this.keycloak = keycloak;
        cerbos = CerbosPdp.start(binary, Path.of(System.getProperty("it.work.dir", "target/it-work")),
                Map.of("api.yaml", CERBOS_POLICY));
        proxy = CountingProxy.to(cerbos.baseUri());
        realm = RealmFixture.create(admin, "authzen-cerbos.json");
        oidc = new OidcClient(keycloak, realm.name());
        PdpAssertions.installPolicy(admin, realm, POLICY.formatted(proxy.uri()));
    }

    @AfterAll
    void tearDown() {
        if (realm != null) {
            realm.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (cerbos != null) {
            cerbos.close();
        }
    }

    @Test
    @Order(1)
    void cerbosAllowsTheBillingAgentAndRefusesTheCrmAgent() throws Exception {
        JWTClaimsSet claims = minted(oidc, oidc.clientCredentials("agent-billing", "agent-billing-secret", null));
        assertThat(claims.getStringClaim("azp")).isEqualTo("agent-billing");

        TokenResponse crm = oidc.clientCredentials("agent-crm", "agent-crm-secret", null);
        refused(crm, "pdp_denied");
        assertThat(crm.toErrorResponse().getErrorObject().getDescription())
                .startsWith("The policy decision point refused this token.");

        JsonNode record = new AuditTrail(keycloak).await("the PDP refusal of agent-crm",
                r -> "agent-crm".equals(r.at("/data/clientId").asText()) && "pdp_denied".equals(r.at("/data/decision/reason").asText()));
        assertThat(record.at("/data/decision/rule").asText()).isEqualTo("mint-via-cerbos");
    }

    @Test
    @Order(2)
    void perScopeEveryRequestedScopeMustBeAllowedByCerbosInOneBatch() throws Exception {
        int before = proxy.count();
        refused(oidc.clientCredentials("agent-scoped", "agent-scoped-secret", "billing:read billing:write"), "scope_not_allowed");
        assertThat(proxy.count() - before).as("one evaluations (batch) call for both scopes").isEqualTo(1);

        JWTClaimsSet claims = minted(oidc, oidc.clientCredentials("agent-scoped", "agent-scoped-secret", "billing:read"));
        assertThat(claims.getStringClaim("scope").split(" ")).contains("billing:read").doesNotContain("billing:write");
    }

    @Test
    @Order(3)
    void aSecondIdenticalRequestIsDecidedFromTheCacheWithoutCallingCerbos() throws Exception {
        int before = proxy.count();
        minted(oidc, oidc.clientCredentials("agent-cached", "agent-cached-secret", null));
        assertThat(proxy.count() - before).as("first request: one PDP call").isEqualTo(1);

        minted(oidc, oidc.clientCredentials("agent-cached", "agent-cached-secret", null));
        assertThat(proxy.count() - before).as("second identical request: answered from the decision cache").isEqualTo(1);
    }

    @Test
    @Order(4)
    void withCerbosStoppedATokenIsRefusedFailClosedWithinTheTimeout() {
        cerbos.close();
        proxy.close();

        long started = System.nanoTime();
        TokenResponse late = oidc.clientCredentials("agent-late", "agent-late-secret", null);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        refused(late, "policy_error");
        assertThat(elapsedMillis).as("refused within the PDP timeout (1 s), not hung").isLessThan(5000);
        JsonNode record = new AuditTrail(keycloak).await("the fail-closed refusal of agent-late",
                r -> "agent-late".equals(r.at("/data/clientId").asText()) && "policy_error".equals(r.at("/data/decision/reason").asText()));
        assertThat(record.at("/data/decision/rule").asText()).isEqualTo("mint-via-cerbos");
    }
}
