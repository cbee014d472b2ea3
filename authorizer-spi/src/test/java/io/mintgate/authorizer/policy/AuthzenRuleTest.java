package io.mintgate.authorizer.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mintgate.authorizer.policy.authzen.AuthzenClient;
import io.mintgate.authorizer.policy.authzen.AuthzenQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The {@code authzen} rule field: save-time validation, the request it sends, and how PDP answers decide. */
class AuthzenRuleTest {

    private static final String PDPS = """
            "pdps": {"cerbos": {"url": "https://pdp.example:3592", "timeout": "PT0.2S", "cacheTtl": "PT30S",
                                "auth": {"type": "bearer", "token": "${vault.cerbos_token}"}}}""";

    private static PolicySet policy(String authzen, String extraRuleFields) throws PolicyValidationException {
        return PolicyCompiler.compile("{" + PDPS + ", \"rules\": [{\"name\": \"via-pdp\", \"reason\": \"pdp_denied\","
                + " \"message\": \"The PDP said no.\"" + extraRuleFields + ", \"authzen\": " + authzen + "}]}");
    }

    private static final String CLIENT_MINTS_API = """
            {"pdp": "cerbos", "subject": {"type": "'client'", "id": "client.clientId",
                                          "properties": {"kind": "client.attributes[?'mintgate.kind'].orValue('')"}},
             "action": {"name": "'mint'"}, "resource": {"type": "'api'", "id": "grant.audiences[0]"},
             "context": {"grantType": "grant.type", "scopes": "grant.scopes"}}""";

    /** A PDP stand-in that records what it is asked and answers with {@code answer}. */
    private static final class RecordingPdp implements DecisionServices {
        final List<AuthzenQuery> queries = new ArrayList<>();
        final Function<AuthzenQuery, boolean[]> answer;

        RecordingPdp(Function<AuthzenQuery, boolean[]> answer) {
            this.answer = answer;
        }

        @Override
        public <T> T facility(Class<T> type) {
            AuthzenClient client = query -> {
                queries.add(query);
                return new io.mintgate.authorizer.policy.authzen.AuthzenAnswer(answer.apply(query));
            };
            return type == AuthzenClient.class ? type.cast(client) : null;
        }
    }

    @Test
    void theIssuanceContextIsMappedToSubjectActionResourceAndContext() throws Exception {
        RecordingPdp pdp = new RecordingPdp(q -> new boolean[] {true});
        Decision decision = policy(CLIENT_MINTS_API, "").evaluate(Requests.ciRunner(), pdp);

        assertThat(decision.allowed()).isTrue();
        assertThat(pdp.queries).hasSize(1);
        AuthzenQuery query = pdp.queries.get(0);
        assertThat(query.batch()).isFalse();
        assertThat(query.pdp().name()).isEqualTo("cerbos");
        assertThat(query.pdp().timeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(query.pdp().evaluationUri().toString()).isEqualTo("https://pdp.example:3592/access/v1/evaluation");
        assertThat(query.body()).isEqualTo("{\"subject\":{\"type\":\"client\",\"id\":\"ci-runner\",\"properties\":{\"kind\":\"ci-runner\"}},"
                + "\"action\":{\"name\":\"mint\"},\"resource\":{\"type\":\"api\",\"id\":\"deploy-api\"},"
                + "\"context\":{\"grantType\":\"client_credentials\",\"scopes\":[\"read\",\"deploy\"]}}");
    }

    @Test
    void aPdpDenialDeniesWithTheRulesReasonAndMessage() throws Exception {
        Decision decision = policy(CLIENT_MINTS_API, "").evaluate(Requests.ciRunner(), new RecordingPdp(q -> new boolean[] {false}));

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo("pdp_denied");
        assertThat(decision.message()).isEqualTo("The PDP said no.");
        assertThat(decision.rule()).isEqualTo("via-pdp");
    }

    @Test
    void perScopeAsksOneEvaluationPerRequestedScopeAndNeedsEveryOneAllowed() throws Exception {
        String perScope = """
                {"pdp": "cerbos", "per": "scope", "subject": {"type": "'client'", "id": "client.clientId"},
                 "resource": {"type": "'api'", "id": "'billing-api'"}}""";
        RecordingPdp readOnly = new RecordingPdp(q -> q.body().contains("\"evaluations\":[{\"action\":{\"name\":\"deploy\"}},{\"action\":{\"name\":\"read\"}}]")
                ? new boolean[] {false, true} : new boolean[] {true});
        IssuanceRequest both = Requests.ciRunner();

        Decision decision = policy(perScope, "").evaluate(both, readOnly);

        assertThat(readOnly.queries).singleElement().satisfies(q -> {
            assertThat(q.batch()).isTrue();
            assertThat(q.evaluations()).isEqualTo(2);
            assertThat(q.pdp().evaluationsUri().toString()).endsWith("/access/v1/evaluations");
        });
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo("pdp_denied");

        RecordingPdp allowAll = new RecordingPdp(q -> new boolean[] {true});
        assertThat(policy(perScope, "").evaluate(Requests.withScopes(both, "read"), allowAll).allowed()).isTrue();
        assertThat(allowAll.queries.get(0).body()).contains("\"evaluations\":[{\"action\":{\"name\":\"read\"}}]");

        RecordingPdp untouched = new RecordingPdp(q -> new boolean[] {false});
        assertThat(policy(perScope, "").evaluate(Requests.withScopes(both), untouched).allowed())
                .as("no requested scope: nothing to ask").isTrue();
        assertThat(untouched.queries).isEmpty();
    }

    @Test
    void perAudienceReplacesTheResourceIdPerRequestedAudience() throws Exception {
        String perAudience = """
                {"pdp": "cerbos", "per": "audience", "subject": {"type": "'client'", "id": "client.clientId"},
                 "action": {"name": "'mint'"}, "resource": {"type": "'api'"}}""";
        RecordingPdp pdp = new RecordingPdp(q -> new boolean[] {true});
        assertThat(policy(perAudience, "").evaluate(Requests.ciRunner(), pdp).allowed()).isTrue();
        assertThat(pdp.queries.get(0).body()).endsWith("\"evaluations\":[{\"resource\":{\"type\":\"api\",\"id\":\"deploy-api\"}}]}");
    }

    @Test
    void aPdpThatCannotAnswerFailsClosedUnlessTheRuleSaysOtherwise() throws Exception {
        RecordingPdp down = new RecordingPdp(q -> {
            throw new PolicyEvaluationException("authzen pdp 'cerbos': evaluation connection refused or unreachable", null);
        });

        Decision closed = policy(CLIENT_MINTS_API, "").evaluate(Requests.ciRunner(), down);
        assertThat(closed.allowed()).isFalse();
        assertThat(closed.reason()).isEqualTo("policy_error");
        assertThat(closed.findings()).singleElement().satisfies(f -> assertThat(f.detail()).contains("connection refused"));

        assertThat(policy(CLIENT_MINTS_API, ", \"onError\": \"allow\"").evaluate(Requests.ciRunner(), down).allowed()).isTrue();
        assertThat(policy(CLIENT_MINTS_API, "").evaluate(Requests.ciRunner(), DecisionServices.NONE).allowed())
                .as("a host without an AuthZEN client").isFalse();
        assertThat(policy(CLIENT_MINTS_API, "").evaluate(Requests.ciRunner(), new RecordingPdp(q -> new boolean[0])).reason())
                .as("an answer with the wrong number of decisions").isEqualTo("policy_error");
    }

    @Test
    void aRuleThatDeniesOnItsOwnNeverAsksThePdp() throws Exception {
        RecordingPdp pdp = new RecordingPdp(q -> new boolean[] {true});
        Decision decision = policy(CLIENT_MINTS_API, ", \"deny\": \"client.clientId == 'ci-runner'\"").evaluate(Requests.ciRunner(), pdp);
        assertThat(decision.allowed()).isFalse();
        assertThat(pdp.queries).isEmpty();
    }

    @Test
    void everyMistakeIsReportedWithItsPathWhenSaved() {
        PolicyValidationException e = catchThrowableOfType(PolicyValidationException.class, () -> PolicyCompiler.compile("""
                {"pdps": {"cerbos": {"url": "ftp://pdp", "timeout": "250ms", "cacheTtl": "PT-1S", "retries": 3,
                                     "auth": {"type": "client_credentials", "tokenUrl": "https://idp/token", "clientSecret": "${vault.x"}}},
                 "rules": [{"name": "r", "reason": "pdp_denied",
                            "authzen": {"pdp": "cerbos", "subject": {"type": "'client'", "id": "client.clientid"},
                                        "action": {"name": "1"}, "resource": {"type": "'api'"}, "per": "tenant", "extra": true}}]}"""));
        List<String> problems = e.problems().stream().map(p -> p.field() + ": " + p.message()).toList();
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("rules[0].authzen.pdp: pdps.cerbos.url: must be an absolute http or https URL"))
                .anySatisfy(p -> assertThat(p).startsWith("rules[0].authzen.pdp: pdps.cerbos.timeout: must be an ISO-8601 duration"))
                .anySatisfy(p -> assertThat(p).startsWith("rules[0].authzen.pdp: pdps.cerbos.cacheTtl: must be zero or positive"))
                .anySatisfy(p -> assertThat(p).isEqualTo("rules[0].authzen.pdp: pdps.cerbos.retries: unknown field 'retries'"))
                .anySatisfy(p -> assertThat(p).isEqualTo("rules[0].authzen.pdp: pdps.cerbos.auth.clientId: is required"))
                .anySatisfy(p -> assertThat(p).startsWith("rules[0].authzen.pdp: pdps.cerbos.auth.clientSecret: a vault reference must be"))
                .anySatisfy(p -> assertThat(p).startsWith("rules[0].authzen.subject.id: ").contains("undefined field 'clientid'"))
                .anySatisfy(p -> assertThat(p).startsWith("rules[0].authzen.action.name: expression must be string but is int"))
                .anySatisfy(p -> assertThat(p).startsWith("rules[0].authzen.resource.id: is required"))
                .anySatisfy(p -> assertThat(p).startsWith("rules[0].authzen.per: must be one of scope | audience"))
                .anySatisfy(p -> assertThat(p).isEqualTo("rules[0].authzen.extra: unknown field 'extra'"));
        assertThat(String.join("\n", problems)).doesNotContain("${vault.x");
    }

    @Test
    void aRuleMustNameADeclaredPdp() {
        PolicyValidationException e = catchThrowableOfType(PolicyValidationException.class, () -> PolicyCompiler.compile("""
                {"rules": [{"name": "r", "reason": "pdp_denied",
                            "authzen": {"pdp": "opa", "subject": {"type": "'client'", "id": "client.clientId"},
                                        "action": {"name": "'mint'"}, "resource": {"type": "'api'", "id": "'x'"}}}]}"""));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("rules[0].authzen.pdp");
            assertThat(p.message()).contains("no PDP 'opa' is declared");
        });
    }

    @Test
    void everyJsonPolicyOfTheAuthzenSectionOfTheReferenceCompiles() throws Exception {
        String reference = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "policy-reference.md"));
        String section = reference.substring(reference.indexOf("## External PDP (AuthZEN)"), reference.indexOf("\n## Context"));
        java.util.regex.Matcher blocks = java.util.regex.Pattern.compile("```json\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(section);
        int compiled = 0;
        while (blocks.find()) {
            PolicySet set = PolicyCompiler.compile(blocks.group(1));
            assertThat(set.size()).isPositive();
            compiled++;
        }
        assertThat(compiled).as("JSON examples in the section").isEqualTo(3);
    }
}
