package io.mintgate.authorizer.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate --policy --request}: the offline answer, its flags, and the exit status 2 for bad input. */
class SimulateCommandTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    private Run simulate(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SimulateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content).toString();
    }

    private static final String POLICY = """
            {"rules": [
              {"name": "no-agents", "reason": "agents_blocked", "message": "AI agents get no tokens here",
               "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent'", "deny": "true"},
              {"name": "watch-write", "reason": "write_watch", "mode": "shadow", "deny": "'write' in grant.scopes"},
              {"name": "no-admin", "reason": "admin_scope", "deny": "'admin' in grant.scopes"},
              {"name": "ci-narrow", "reason": "ci", "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ci-runner'",
               "allowIf": "true",
               "obligations": {"keepScopes": "['read']", "keepAudiences": "['deploy-api']", "maxAccessTokenLifetime": "duration('10m')",
                               "refreshToken": "false", "claims": {"team": "'ci'"}}}
            ]}""";

    private static final String CI_REQUEST = """
            {"time": "2026-03-01T12:00:00Z",
             "grant": {"type": "client_credentials", "scopes": ["openid", "read", "write"], "audiences": ["deploy-api", "billing"]},
             "client": {"clientId": "ci", "attributes": {"mintgate.kind": "ci-runner"}}}""";

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isObject() ? n.path("rule").asText() + ":" + n.path("result").asText() : n.asText()));
        return out;
    }

    @Test
    void anAllowedRequestShowsTheTraceObligationsAndWhatTheyRemoveFromTheRequest() throws Exception {
        Run run = simulate("--policy", file("p.json", POLICY), "--request", file("r.json", CI_REQUEST));

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode answer = run.json();
        assertThat(answer.path("outcome").asText()).isEqualTo("allow");
        assertThat(answer.has("reason")).isFalse();
        assertThat(answer.path("policySource").asText()).isEqualTo("file");
        JsonNode policy = answer.path("policies").get(0);
        assertThat(policy.path("name").asText()).isEqualTo("p.json");
        assertThat(policy.path("policyVersion").asText()).startsWith("sha256:");
        assertThat(texts(policy.path("trace"))).containsExactly("no-agents:skipped", "watch-write:shadow_denied",
                "no-admin:allowed", "ci-narrow:allowed");
        assertThat(policy.at("/trace/1/failed/field").asText()).isEqualTo("rules[1].deny");
        assertThat(policy.at("/trace/1/failed/expression").asText()).isEqualTo("'write' in grant.scopes");
        assertThat(policy.at("/findings/0/rule").asText()).isEqualTo("watch-write");
        assertThat(texts(answer.at("/obligations/keepScopes"))).containsExactly("read");
        assertThat(answer.at("/obligations/maxAccessTokenLifetime").asLong()).isEqualTo(600);
        assertThat(answer.at("/obligations/refreshToken").asBoolean(true)).isFalse();
        assertThat(answer.at("/obligations/claims/team").asText()).isEqualTo("ci");
        assertThat(texts(answer.at("/kept/scopes"))).as("openid always stays").containsExactly("openid", "read");
        assertThat(texts(answer.at("/kept/audiences"))).containsExactly("deploy-api");
        assertThat(texts(answer.path("narrowed"))).containsExactly("scope:-write", "aud:-billing");
        assertThat(answer.at("/context/time").asText()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(answer.path("offline").asText()).contains("roles", "protocol mappers");
    }

    @Test
    void umaAndThePreAuthorizedCodeAreDecidedOfflineByTheirGrantTypeAsAnyOtherGrant() throws Exception {
        String policy = file("eventless.json", """
                {"rules": [
                  {"name": "flagged", "reason": "subject_flagged",
                   "match": "grant.type in ['urn:ietf:params:oauth:grant-type:uma-ticket', 'urn:ietf:params:oauth:grant-type:pre-authorized_code']",
                   "deny": "'test.deny' in subject.attributes"},
                  {"name": "short", "reason": "least_privilege", "match": "grant.type == 'urn:ietf:params:oauth:grant-type:pre-authorized_code'",
                   "allowIf": "true", "obligations": {"keepScopes": "['employee-credential']", "maxAccessTokenLifetime": "duration('60s')"}}
                ]}""");

        Run rpt = simulate("--policy", policy, "--request", file("uma.json", """
                {"grant": {"type": "urn:ietf:params:oauth:grant-type:uma-ticket", "audiences": ["rs"]},
                 "client": {"clientId": "app"}, "subject": {"username": "mallory", "attributes": {"test.deny": ["true"]}}}"""));
        assertThat(rpt.exit()).as(rpt.err()).isZero();
        assertThat(rpt.json().path("outcome").asText()).isEqualTo("deny");
        assertThat(rpt.json().path("rule").asText()).isEqualTo("flagged");

        Run credential = simulate("--policy", policy, "--request", file("vci.json", """
                {"grant": {"type": "urn:ietf:params:oauth:grant-type:pre-authorized_code", "scopes": ["employee-credential", "extra"]},
                 "client": {"clientId": "wallet-issuer"}, "subject": {"username": "alice"}}"""));
        assertThat(credential.exit()).as(credential.err()).isZero();
        JsonNode answer = credential.json();
        assertThat(answer.path("outcome").asText()).isEqualTo("allow");
        assertThat(answer.at("/context/grant/type").asText()).isEqualTo("urn:ietf:params:oauth:grant-type:pre-authorized_code");
        assertThat(answer.at("/obligations/maxAccessTokenLifetime").asLong()).isEqualTo(60);
        assertThat(texts(answer.path("narrowed"))).containsExactly("scope:-extra");
    }

    @Test
    void aDeniedRequestNamesTheRuleItsConditionAndTheRulesNotEvaluated() throws Exception {
        Run run = simulate("--policy", file("p.json", POLICY), "--request", file("r.json", """
                {"grant": {"scopes": ["admin"]}, "client": {"clientId": "x"}}"""));

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode answer = run.json();
        assertThat(answer.path("outcome").asText()).isEqualTo("deny");
        assertThat(answer.path("reason").asText()).isEqualTo("admin_scope");
        assertThat(answer.path("rule").asText()).isEqualTo("no-admin");
        assertThat(answer.path("message").asText()).isEqualTo("The token request was refused by policy.");
        assertThat(answer.has("obligations")).isFalse();
        assertThat(answer.has("narrowed")).isFalse();
        JsonNode trace = answer.at("/policies/0/trace");
        assertThat(texts(trace)).containsExactly("no-agents:skipped", "watch-write:allowed", "no-admin:denied",
                "ci-narrow:not_evaluated");
        assertThat(trace.at("/2/failed/field").asText()).isEqualTo("rules[2].deny");
        assertThat(trace.at("/2/reason").asText()).isEqualTo("admin_scope");
    }

    private static final String BUDGET_AND_PDP = """
            {"pdps": {"p": {"url": "https://pdp.example"}},
             "rules": [
              {"name": "ci-budget", "reason": "budget_exhausted", "budget": {"key": "client", "limit": 5, "window": "PT1H"}},
              {"name": "via-pdp", "reason": "pdp_denied",
               "authzen": {"pdp": "p", "subject": {"type": "'client'", "id": "client.clientId"},
                           "action": {"name": "'mint'"}, "resource": {"type": "'api'", "id": "'x'"}}}
            ]}""";

    @Test
    void budgetsAndPdpsFailAsUnreachableUnlessAFlagSaysOtherwise() throws Exception {
        String policy = file("p.json", BUDGET_AND_PDP);
        String request = file("r.json", "{\"client\": {\"clientId\": \"ci\"}}");

        JsonNode closed = simulate("--policy", policy, "--request", request).json();
        assertThat(closed.path("outcome").asText()).isEqualTo("deny");
        assertThat(closed.path("reason").asText()).isEqualTo("policy_error");
        assertThat(closed.path("rule").asText()).isEqualTo("via-pdp");
        assertThat(closed.at("/policies/0/trace/1/result").asText()).isEqualTo("error");
        assertThat(closed.at("/policies/0/trace/1/refused").asBoolean()).isTrue();
        assertThat(closed.at("/policies/0/trace/0/result").asText()).as("the budget was never reached").isEqualTo("deferred");
        assertThat(closed.path("pdps").asText()).contains("unreachable");

        JsonNode budgetClosed = simulate("--policy", policy, "--request", request, "--pdp-answer", "allow").json();
        assertThat(budgetClosed.path("rule").asText()).isEqualTo("ci-budget");
        assertThat(budgetClosed.path("reason").asText()).isEqualTo("policy_error");
        assertThat(budgetClosed.at("/policies/0/trace/0/detail").asText()).contains("BudgetCounters");

        JsonNode open = simulate("--policy", policy, "--request", request, "--pdp-answer", "allow", "--budgets-left").json();
        assertThat(open.path("outcome").asText()).isEqualTo("allow");
        assertThat(texts(open.at("/policies/0/trace"))).containsExactly("ci-budget:allowed", "via-pdp:allowed");

        JsonNode pdpDenies = simulate("--policy", policy, "--request", request, "--pdp-answer", "deny", "--budgets-left").json();
        assertThat(pdpDenies.path("reason").asText()).isEqualTo("pdp_denied");
        assertThat(pdpDenies.at("/policies/0/trace/1/failed/field").asText()).isEqualTo("rules[1].authzen");
        assertThat(pdpDenies.at("/policies/0/trace/1/failed").has("expression")).isFalse();
    }

    @Test
    void timeOverridesTheRequestsTime() throws Exception {
        String policy = file("p.json", """
                {"rules": [{"name": "freeze", "reason": "change_freeze", "deny": "now >= timestamp('2026-06-01T00:00:00Z')"}]}""");
        String request = file("r.json", "{\"time\": \"2026-01-01T00:00:00Z\"}");

        assertThat(simulate("--policy", policy, "--request", request).json().path("outcome").asText()).isEqualTo("allow");
        JsonNode later = simulate("--policy", policy, "--request", request, "--time", "2026-07-01T00:00:00Z").json();
        assertThat(later.path("outcome").asText()).isEqualTo("deny");
        assertThat(later.at("/context/time").asText()).isEqualTo("2026-07-01T00:00:00Z");
    }

    @Test
    void rfc9396CellsAreDecidedAndNarrowedAsTheTokenPathNarrowsThem() throws Exception {
        String policy = file("rar.json", """
                {"rules": [
                  {"name": "payments-cap", "reason": "amount_too_high",
                   "deny": "grant.authorizationDetails.exists(d, d.type == 'payment_initiation' && double(d.instructedAmount.amount) > 1000.0)"},
                  {"name": "payments-only", "reason": "x", "deny": "false",
                   "obligations": {"keepAuthorizationDetailTypes": "['payment_initiation']",
                                   "keepAuthorizationDetailActions": "['initiate', 'status']"}}]}""");
        Run allowed = simulate("--policy", policy, "--request", file("small.json", """
                {"grant": {"type": "client_credentials", "authorizationDetails": [
                   {"type": "payment_initiation", "actions": ["initiate", "cancel"], "instructedAmount": {"amount": "5"}},
                   {"type": "account_information", "actions": ["read_balances"]}]}}"""));
        assertThat(allowed.exit()).as(allowed.err()).isZero();
        JsonNode answer = allowed.json();
        assertThat(answer.path("outcome").asText()).isEqualTo("allow");
        assertThat(answer.at("/kept/authorizationDetails")).isEqualTo(new ObjectMapper().readTree("""
                [{"type": "payment_initiation", "actions": ["initiate"], "instructedAmount": {"amount": "5"}}]"""));
        assertThat(texts(answer.path("narrowed"))).containsExactly("authorization_details:~payment_initiation",
                "authorization_details:-account_information");
        assertThat(answer.at("/context/grant/authorizationDetails").size()).isEqualTo(2);

        Run refused = simulate("--policy", policy, "--request", file("large.json", """
                {"grant": {"authorizationDetails": [{"type": "payment_initiation", "instructedAmount": {"amount": "5000"}}]}}"""));
        assertThat(refused.json().path("reason").asText()).isEqualTo("amount_too_high");
        assertThat(refused.json().path("rule").asText()).isEqualTo("payments-cap");

        Run malformed = simulate("--policy", policy, "--request", file("bad-cells.json", """
                {"grant": {"authorizationDetails": [{"type": "payment_initiation"}, {"actions": "initiate"}]}}"""));
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(malformed.err()).contains("bad-cells.json: 'grant.authorizationDetails': authorization_details[1].type "
                + "must be a non-empty string; authorization_details[1].actions must be an array of strings");
    }

    @Test
    void badInputExitsWithTwoNamingTheFileFieldAndPosition() throws Exception {
        String policy = file("p.json", POLICY);
        String request = file("r.json", CI_REQUEST);

        Run malformed = simulate("--policy", policy, "--request", file("bad.json", "{\"grant\": {\"type\": \"x\",\n }"));
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(malformed.out()).isEmpty();
        assertThat(malformed.err()).contains("bad.json: line 2, column 2: invalid JSON");

        Run unknown = simulate("--policy", policy, "--request", file("typo.json", "{\"client\": {\"clientid\": \"x\"}}"));
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("typo.json: unknown member 'client.clientid'");

        Run invalid = simulate("--policy", file("invalid.json", """
                {"rules": [{"name": "x", "reason": "x", "deny": "client.clientid == 'x'"}]}"""), "--request", request);
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("invalid.json is not a valid policy", "rules[0].deny (rule 'x'): line 1, column",
                "clientid");

        assertThat(simulate("--policy", policy).err()).contains("--request is required", "usage: simulate");
        assertThat(simulate("--policy", policy, "--request", request, "--verbose").err()).contains("unknown argument '--verbose'");
        assertThat(simulate("--policy", policy, "--request", request, "--time", "tomorrow").err())
                .contains("--time: 'tomorrow' is no ISO-8601 instant");
        assertThat(simulate("--policy", policy, "--request", request, "--pdp-answer", "maybe").exit()).isEqualTo(2);
        Run missing = simulate("--policy", dir.resolve("nowhere.json").toString(), "--request", request);
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read", "nowhere.json");
    }
}
