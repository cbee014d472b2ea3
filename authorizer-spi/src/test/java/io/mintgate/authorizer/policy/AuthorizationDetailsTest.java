package io.mintgate.authorizer.policy;

import static io.mintgate.authorizer.policy.Requests.ciRunner;
import static io.mintgate.authorizer.policy.Requests.compile;
import static io.mintgate.authorizer.policy.Requests.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizationDetailsTest {

    /** RFC 9396 section 2, figure 2 (the payment initiation example), and an account information cell. */
    static final String RFC_EXAMPLE = """
            [{"type": "payment_initiation", "actions": ["initiate", "status", "cancel"],
              "locations": ["https://example.com/payments"],
              "instructedAmount": {"currency": "EUR", "amount": "123.50"},
              "creditorName": "Merchant A", "creditorAccount": {"iban": "DE02100100109307118603"},
              "remittanceInformationUnstructured": "Ref Number Merchant"},
             {"type": "account_information", "actions": ["list_accounts", "read_balances"],
              "locations": ["https://example.com/accounts"], "identifier": "acc-1", "datatypes": ["balances"],
              "privileges": ["read"]}]
            """;

    @Test
    void theRfcExampleIsReadCellByCellWithEveryMemberInOrder() {
        List<Map<String, Object>> cells = AuthorizationDetails.parse(RFC_EXAMPLE);
        assertThat(cells).hasSize(2);
        assertThat(cells.get(0)).containsKeys("type", "actions", "locations", "instructedAmount", "creditorName");
        assertThat(cells.get(0).get("instructedAmount")).isEqualTo(Map.of("currency", "EUR", "amount", "123.50"));
        assertThat(List.copyOf(cells.get(1).keySet()))
                .containsExactly("type", "actions", "locations", "identifier", "datatypes", "privileges");
        assertThatThrownBy(() -> cells.get(0).put("type", "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void malformedParametersNameEveryProblemWithItsPosition() {
        assertThatThrownBy(() -> AuthorizationDetails.parse("{\"type\": \"x\"}"))
                .hasMessage("authorization_details must be a JSON array of objects");
        assertThatThrownBy(() -> AuthorizationDetails.parse("[{\"type\": "))
                .hasMessageStartingWith("authorization_details is not JSON: ");
        assertThatThrownBy(() -> AuthorizationDetails.parse("""
                [{"type": "a"}, 7, {"actions": ["x"]}, {"type": 3, "actions": "read", "identifier": 1,
                  "locations": [1]}]"""))
                .isInstanceOf(AuthorizationDetails.Malformed.class)
                .hasMessage("authorization_details[1] must be a JSON object; "
                        + "authorization_details[2].type must be a non-empty string; "
                        + "authorization_details[3].type must be a non-empty string; "
                        + "authorization_details[3].locations must be an array of strings; "
                        + "authorization_details[3].actions must be an array of strings; "
                        + "authorization_details[3].identifier must be a string");
        String many = "[" + String.join(",", java.util.Collections.nCopies(101, "{\"type\":\"a\"}")) + "]";
        assertThatThrownBy(() -> AuthorizationDetails.parse(many)).hasMessageContaining("at most 100");
        assertThat(AuthorizationDetails.parse("[]")).isEmpty();
    }

    @Test
    void narrowingDropsOtherTypesRestrictsActionsAndLocationsAndDropsCellsLeftWithNone() {
        List<Map<String, Object>> cells = AuthorizationDetails.parse(RFC_EXAMPLE);
        assertThat(AuthorizationDetails.narrow(cells, null)).isSameAs(cells);
        assertThat(AuthorizationDetails.narrow(cells, AuthorizationDetailLimits.of(List.of("account_information"), null, null)))
                .containsExactly(cells.get(1));
        List<Map<String, Object>> statusOnly = AuthorizationDetails.narrow(cells,
                AuthorizationDetailLimits.of(null, List.of("status", "read_balances"), null));
        assertThat(statusOnly).hasSize(2);
        assertThat(statusOnly.get(0).get("actions")).isEqualTo(List.of("status"));
        assertThat(statusOnly.get(0).get("instructedAmount")).isEqualTo(cells.get(0).get("instructedAmount"));
        assertThat(statusOnly.get(1).get("actions")).isEqualTo(List.of("read_balances"));
        // no allowed action left, or no actions member at all (which may mean "any"): the cell goes
        assertThat(AuthorizationDetails.narrow(cells, AuthorizationDetailLimits.of(null, List.of("cancel"), null)))
                .extracting(c -> c.get("type")).containsExactly("payment_initiation");
        assertThat(AuthorizationDetails.narrow(AuthorizationDetails.parse("[{\"type\": \"a\"}]"),
                AuthorizationDetailLimits.of(null, List.of("read"), null))).isEmpty();
        assertThat(AuthorizationDetails.narrow(cells,
                AuthorizationDetailLimits.of(null, null, List.of("https://example.com/accounts"))))
                .containsExactly(cells.get(1));
        assertThat(AuthorizationDetails.narrow(cells, AuthorizationDetailLimits.of(List.of(), null, null))).isEmpty();
    }

    @Test
    void limitsOfTwoRulesIntersectPartByPartAndNeverWiden() {
        AuthorizationDetailLimits a = AuthorizationDetailLimits.of(List.of("payment_initiation", "account_information"),
                List.of("initiate", "status"), null);
        AuthorizationDetailLimits b = AuthorizationDetailLimits.of(List.of("payment_initiation"), null,
                List.of("https://example.com/payments"));
        AuthorizationDetailLimits both = AuthorizationDetailLimits.intersect(a, b);
        assertThat(both.types()).containsExactly("payment_initiation");
        assertThat(both.actions()).containsExactly("initiate", "status");
        assertThat(both.locations()).containsExactly("https://example.com/payments");
        assertThat(AuthorizationDetailLimits.intersect(null, b)).isSameAs(b);
        assertThat(AuthorizationDetailLimits.of(null, null, null)).isNull();
        Obligations combined = Obligations.builder().authorizationDetails(a).build()
                .intersect(Obligations.builder().authorizationDetails(b).keepScopes(Set.of("x")).build());
        assertThat(combined.authorizationDetails()).isEqualTo(both);
        assertThat(Obligations.builder().authorizationDetails(a).build().isEmpty()).isFalse();
    }

    @Test
    void policiesReadTheCellsWithTheirCommonMembersAlwaysPresentAndDenyOnAnAmount() throws Exception {
        PolicySet policy = compile("""
                {"rules": [
                  {"name": "amount", "reason": "amount_too_high",
                   "deny": "grant.authorizationDetails.exists(d, d.type == 'payment_initiation' && double(d.instructedAmount.amount) > 100.0)"},
                  {"name": "cells", "reason": "x", "deny": "false",
                   "obligations": {"keepAuthorizationDetailTypes": "['payment_initiation', 'account_information']",
                                   "keepAuthorizationDetailActions": "grant.authorizationDetails.map(d, d.actions).filter(a, size(a) > 0).map(a, a[0])"}},
                  {"name": "types", "reason": "x", "deny": "grant.authorizationDetails.exists(d, d.identifier != '' && d.privileges != ['read'])",
                   "obligations": {"keepAuthorizationDetailTypes": "['account_information', 'other']"}}]}
                """);
        IssuanceRequest r = ciRunner();
        Grant g = r.grant();
        Decision refused = policy.evaluate(with(r, new Grant(g.type(), g.scopes(), g.audiences(), g.resources(),
                g.requestedTokenType(), AuthorizationDetails.parse(RFC_EXAMPLE))));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reason()).isEqualTo("amount_too_high");

        Decision allowed = policy.evaluate(with(r, new Grant(g.type(), g.scopes(), g.audiences(), g.resources(),
                g.requestedTokenType(), AuthorizationDetails.parse("""
                        [{"type": "payment_initiation", "actions": ["status"], "instructedAmount": {"amount": "5"}},
                         {"type": "account_information", "actions": ["list_accounts"], "identifier": "a", "privileges": ["read"]},
                         {"type": "other"}]"""))));
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.obligations().authorizationDetails().types()).containsExactly("account_information");
        assertThat(allowed.obligations().authorizationDetails().actions()).containsExactly("status", "list_accounts");
        assertThat(policy.evaluate(r).allowed()).isTrue(); // no parameter: an empty list, nothing fails
    }

    /** The example of docs/policy-reference.md, "Rich authorization requests (RFC 9396)", verbatim. */
    static final String DOCUMENTED = """
            {"rules": [
              {"name": "payments-cap", "reason": "amount_too_high", "message": "Payments above 1000 EUR need a person.",
               "deny": "grant.authorizationDetails.exists(d, d.type == 'payment_initiation' && double(d.instructedAmount.amount) > 1000.0)"},
              {"name": "payments-read-only-for-agents", "reason": "x", "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent'",
               "deny": "false",
               "obligations": {"keepAuthorizationDetailTypes": "['payment_initiation', 'account_information']",
                               "keepAuthorizationDetailActions": "['status', 'read_balances']"}}]}
            """;

    /** The rule of docs/agents.md, "Asking for exactly one payment (RFC 9396)", verbatim. */
    static final String AGENTS_RULE = """
            {"name": "agents-pay-small", "reason": "amount_too_high", "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent'",
             "deny": "grant.authorizationDetails.exists(d, d.type == 'payment_initiation' && double(d.instructedAmount.amount) > 100.0)",
             "obligations": {"keepAuthorizationDetailTypes": "['payment_initiation']", "keepAuthorizationDetailActions": "['initiate']"}}
            """;

    @Test
    void theDocumentedExamplesAreInTheDocsCompileAndDecideAsTheySay() throws Exception {
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "policy-reference.md")))
                .contains(DOCUMENTED.strip());
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "agents.md")))
                .contains(AGENTS_RULE.strip());
        IssuanceRequest r = with(ciRunner(), Requests.withAttribute(ciRunner().client(), "mintgate.kind", "ai-agent"));
        Grant g = r.grant();
        IssuanceRequest agentPaying = with(r, new Grant(g.type(), g.scopes(), g.audiences(), g.resources(),
                g.requestedTokenType(), AuthorizationDetails.parse(RFC_EXAMPLE)));

        Decision documented = compile(DOCUMENTED).evaluate(agentPaying);
        assertThat(documented.allowed()).as("123.50 EUR is below the cap").isTrue();
        assertThat(AuthorizationDetails.narrow(agentPaying.grant().authorizationDetails(),
                documented.obligations().authorizationDetails()))
                .extracting(c -> c.get("actions")).containsExactly(List.of("status"), List.of("read_balances"));

        Decision agents = compile("{\"rules\": [" + AGENTS_RULE + "]}").evaluate(agentPaying);
        assertThat(agents.allowed()).as("123.50 EUR is above the agents' 100").isFalse();
        assertThat(agents.reason()).isEqualTo("amount_too_high");
    }

    @Test
    void anObligationOfTheWrongTypeIsRefusedWhenThePolicyIsSaved() {
        assertThatThrownBy(() -> PolicyCompiler.compile("""
                {"rules": [{"name": "r", "reason": "x", "deny": "false",
                  "obligations": {"keepAuthorizationDetailTypes": "'payment_initiation'"}}]}
                """)).isInstanceOf(PolicyValidationException.class)
                .hasMessageContaining("keepAuthorizationDetailTypes");
    }
}
