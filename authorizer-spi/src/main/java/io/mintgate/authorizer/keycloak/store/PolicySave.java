package io.mintgate.authorizer.keycloak.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.mintgate.authorizer.policy.DocumentPositions;
import io.mintgate.authorizer.policy.PolicyProblem;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyTests;
import io.mintgate.authorizer.policy.PolicyValidationException;

/**
 * What saving a policy text would give, worked out before it is stored: every problem (compiler and tests) with its
 * place in the document as an editor shows it, and each test case's result. The same checks as the component's
 * validation, which runs again when the text is stored (so no path skips them); this one answers in a structure a
 * page can mark up, where the components endpoint answers one string.
 */
record PolicySave(PolicySet compiled, List<PolicyProblem> problems, List<PolicyTests.CaseResult> tests,
                  DocumentPositions positions) {

    static PolicySave check(String text) {
        List<PolicyProblem> problems = new ArrayList<>();
        List<PolicyTests.CaseResult> tests = List.of();
        PolicySet compiled = null;
        try {
            compiled = StoredPolicies.compile(text);
            tests = PolicyTests.run(text, compiled, problems);
        } catch (PolicyValidationException e) {
            problems.addAll(e.problems());
        }
        return new PolicySave(compiled, problems, tests, DocumentPositions.of(text));
    }

    boolean valid() {
        return problems.isEmpty();
    }

    /** The 400 body: {@code errorMessage} as the components endpoint words it, and the problems one by one. */
    Map<String, Object> refusal() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", "invalid_policy");
        m.put("errorMessage", PolicyRefusal.PREFIX
                + problems.stream().map(PolicyProblem::toString).collect(Collectors.joining("\n")));
        m.put("problems", problems.stream().map(this::describe).toList());
        m.put("tests", testResults());
        return m;
    }

    List<Map<String, Object>> testResults() {
        return tests.stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("passed", t.passed());
            m.put("differences", t.differences());
            return m;
        }).toList();
    }

    private Map<String, Object> describe(PolicyProblem problem) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("field", problem.field() == null ? "" : problem.field());
        if (problem.rule() != null) {
            m.put("rule", problem.rule());
        }
        if (problem.line() > 0) {
            m.put("line", problem.line());
            m.put("column", problem.column());
        }
        DocumentPositions.Position at = positions.of(problem);
        if (at != null) {
            m.put("documentLine", at.line());
            m.put("documentColumn", at.column());
        }
        m.put("message", problem.message());
        m.put("text", problem.toString());
        return m;
    }

    static Map<String, Object> problem(String field, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("field", field);
        m.put("message", message);
        m.put("text", field + ": " + message);
        return m;
    }
}
