package io.mintgate.authorizer.policy;

import static io.mintgate.authorizer.policy.Requests.ciRunner;
import static io.mintgate.authorizer.policy.Requests.compile;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DocumentedPoliciesTest {

    private static final Path REFERENCE = Path.of("..", "docs", "policy-reference.md");

    private static String squash(String s) {
        return s.replaceAll("\\s+", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CI_DEPLOY", "AI_AGENT_TOOLS", "PARTNER_TENANT", "SERVICE_ACCOUNT_NETWORK", "NHI_LIFECYCLE",
            "AGENT_BILLING_NARROWING", "CI_DEPLOY_LIFETIME"})
    void everyExampleAppearsVerbatimInTheReferenceAndCompiles(String name) throws Exception {
        String policy = (String) DocumentedPolicies.class.getDeclaredField(name).get(null);
        assertThat(squash(reference())).contains(squash(policy));
        assertThat(compile(policy).size()).isPositive();
    }

    private static String reference() throws IOException {
        return Files.readString(REFERENCE);
    }

    private static IssuanceRequest agent(String allowed, List<String> scopes, List<String> audiences) {
        IssuanceRequest base = ciRunner();
        Map<String, String> attributes = new HashMap<>();
        attributes.put("mintgate.kind", "ai-agent");
        if (allowed != null) {
            attributes.put("mintgate.allowed-scopes", allowed);
        }
        ClientInfo c = new ClientInfo("a-1", "support-agent", "client-secret", false, attributes, List.of(), List.of());
        return Requests.with(Requests.with(base, c), new Grant("client_credentials", scopes, audiences, List.of(), null));
    }

    @Test
    void ciRunnerGetsADeploymentTokenOnlyFromTheApprovedRepositoryBranchAndEnvironment() {
        PolicySet policy = compile(DocumentedPolicies.CI_DEPLOY);
        IssuanceRequest approved = ciRunner();
        assertThat(policy.evaluate(approved).allowed()).isTrue();

        Map<String, Object> featureBranch = new HashMap<>(approved.workload().claims());
        featureBranch.put("ref", "refs/heads/feature");
        IssuanceRequest fromFeature = Requests.with(approved, new WorkloadInfo(approved.workload().issuer(),
                approved.workload().subject(), featureBranch));
        assertThat(policy.evaluate(fromFeature).reason()).isEqualTo("workload_mismatch");

        Map<String, Object> noEnvironment = new HashMap<>(approved.workload().claims());
        noEnvironment.remove("environment");
        assertThat(policy.evaluate(Requests.with(approved, new WorkloadInfo(approved.workload().issuer(),
                approved.workload().subject(), noEnvironment))).reason()).isEqualTo("workload_mismatch");

        assertThat(policy.evaluate(Requests.with(approved, WorkloadInfo.NONE)).reason()).isEqualTo("workload_mismatch");
        assertThat(policy.evaluate(Requests.withScopes(Requests.with(approved, WorkloadInfo.NONE), "read")).allowed())
                .as("non-deploy tokens are not this rule's business").isTrue();
    }

    @Test
    void aiAgentIsRefusedAnyScopeOrAudienceOutsideItsApprovedList() {
        PolicySet policy = compile(DocumentedPolicies.AI_AGENT_TOOLS);
        String allowed = "tickets:read, tickets:write, kb:*, support-api";
        assertThat(policy.evaluate(agent(allowed, List.of("tickets:read", "kb:search"), List.of("support-api"))).allowed()).isTrue();
        assertThat(policy.evaluate(agent(allowed, List.of("tickets:read", "billing:refund"), List.of("support-api"))).reason())
                .isEqualTo("outside_approved_tools");
        assertThat(policy.evaluate(agent(allowed, List.of("tickets:read"), List.of("billing-api"))).reason())
                .isEqualTo("outside_approved_tools");
        assertThat(policy.evaluate(agent(null, List.of("tickets:read"), List.of())).reason())
                .as("an agent without an approved list gets nothing").isEqualTo("outside_approved_tools");
        assertThat(policy.evaluate(ciRunner()).allowed()).as("other clients are unaffected").isTrue();
    }

    @Test
    void partnerGetsTokensOnlyForItsOwnTenant() {
        PolicySet policy = compile(DocumentedPolicies.PARTNER_TENANT);
        IssuanceRequest partner = Requests.with(ciRunner(), Requests.withAttribute(ciRunner().client(), "mintgate.tenant", "globex"));
        assertThat(policy.evaluate(Requests.with(partner, new OrganizationInfo("o-1", "globex"))).allowed()).isTrue();
        assertThat(policy.evaluate(Requests.with(partner, new OrganizationInfo("o-2", "initech"))).reason()).isEqualTo("wrong_tenant");
        assertThat(policy.evaluate(partner).reason()).as("no organization at all").isEqualTo("wrong_tenant");
        assertThat(policy.evaluate(ciRunner()).allowed()).isTrue();
    }

    @Test
    void serviceAccountRefreshIsRefusedFromOutsideItsExpectedNetwork() {
        PolicySet policy = compile(DocumentedPolicies.SERVICE_ACCOUNT_NETWORK);
        IssuanceRequest refresh = Requests.with(Requests.with(ciRunner(),
                        new Grant("refresh_token", List.of("read"), List.of(), List.of(), null)),
                new SubjectInfo("sa-1", "service-account-ci-runner", true, true, null, null, null, null));
        assertThat(policy.evaluate(refresh).allowed()).isTrue();
        assertThat(policy.evaluate(Requests.with(refresh, new NetworkInfo("2001:db8:ab::1", null, null))).allowed()).isTrue();
        assertThat(policy.evaluate(Requests.with(refresh, new NetworkInfo("198.51.100.4", null, null))).reason())
                .isEqualTo("unexpected_network");
        IssuanceRequest firstLogin = Requests.with(Requests.with(refresh, new NetworkInfo("198.51.100.4", null, null)),
                new Grant("client_credentials", List.of("read"), List.of(), List.of(), null));
        assertThat(policy.evaluate(firstLogin).allowed()).as("only refresh is restricted").isTrue();
    }

    @Test
    void nhiTokensStopOnceTheOwnerIsInactiveOrTheIdentityExpired() {
        PolicySet policy = compile(DocumentedPolicies.NHI_LIFECYCLE);
        Instant later = Requests.TUESDAY_MORNING.plusSeconds(86_400);
        Instant earlier = Requests.TUESDAY_MORNING.minusSeconds(1);
        assertThat(policy.evaluate(Requests.with(ciRunner(), new NhiInfo("alice", true, true, later, "ci"))).allowed()).isTrue();
        assertThat(policy.evaluate(Requests.with(ciRunner(), new NhiInfo("alice", true, true, null, "ci"))).allowed()).isTrue();
        assertThat(policy.evaluate(Requests.with(ciRunner(), new NhiInfo("alice", true, false, later, "ci"))).reason())
                .isEqualTo("owner_inactive");
        assertThat(policy.evaluate(Requests.with(ciRunner(), new NhiInfo("alice", false, false, later, "ci"))).reason())
                .isEqualTo("owner_inactive");
        assertThat(policy.evaluate(Requests.with(ciRunner(), new NhiInfo("alice", true, true, earlier, "ci"))).reason())
                .isEqualTo("nhi_expired");
        // nhi.present means "has an owner"; an expiry set on a client nobody owns must still end its tokens
        assertThat(policy.evaluate(Requests.with(ciRunner(), new NhiInfo("", false, false, earlier, ""))).reason())
                .as("expired identity without an owner").isEqualTo("nhi_expired");
        assertThat(policy.evaluate(Requests.with(ciRunner(), new NhiInfo("", false, false, later, ""))).allowed())
                .as("unexpired identity without an owner").isTrue();
        assertThat(policy.evaluate(ciRunner()).allowed()).as("clients without NHI metadata are unaffected").isTrue();
    }

    @Test
    void agentCallingTheBillingApiGetsOnlyThatAudienceReadScopesAndFiveMinutes() {
        PolicySet policy = compile(DocumentedPolicies.AGENT_BILLING_NARROWING);
        Decision d = policy.evaluate(agent("*", List.of("billing:read", "billing:read.invoices", "billing:refund", "tickets:read"),
                List.of("billing-api", "support-api")));
        assertThat(d.allowed()).isTrue();
        assertThat(d.obligations().keepAudiences()).containsExactly("billing-api");
        assertThat(d.obligations().keepScopes()).containsExactly("billing:read", "billing:read.invoices");
        assertThat(d.obligations().maxAccessTokenLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.obligations().refreshTokenAllowed()).isFalse();
        assertThat(policy.evaluate(agent("*", List.of("tickets:read"), List.of("support-api"))).obligations().isEmpty()).isTrue();
    }

    @Test
    void ciDeploymentTokenLivesOnlyAsLongAsTheJobAndHasNoRefreshToken() {
        PolicySet policy = compile(DocumentedPolicies.CI_DEPLOY_LIFETIME);
        Map<String, Object> claims = new HashMap<>(ciRunner().workload().claims());
        claims.put("exp", Requests.TUESDAY_MORNING.getEpochSecond() + 600);
        IssuanceRequest job = Requests.with(ciRunner(), new WorkloadInfo("https://token.actions.githubusercontent.com", "repo:acme/app", claims));
        Decision d = policy.evaluate(job);
        assertThat(d.allowed()).isTrue();
        assertThat(d.obligations().maxAccessTokenLifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.obligations().refreshTokenAllowed()).isFalse();
    }
}
