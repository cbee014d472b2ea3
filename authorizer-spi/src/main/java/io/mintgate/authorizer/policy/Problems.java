package io.mintgate.authorizer.policy;

import io.mintgate.authorizer.policy.cel.CelEnvironment;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem in a document so the admin sees them all at once. */
final class Problems {

    private final List<PolicyProblem> list = new ArrayList<>();

    void add(String field, String rule, String message) {
        list.add(new PolicyProblem(field, rule, 0, 0, message));
    }

    void add(String field, String rule, int line, int column, String message) {
        list.add(new PolicyProblem(field, rule, line, column, message));
    }

    void addAll(String field, String rule, List<CelEnvironment.Issue> issues) {
        for (CelEnvironment.Issue issue : issues) {
            list.add(new PolicyProblem(field, rule, issue.line(), issue.column(), issue.message()));
        }
    }

    int size() {
        return list.size();
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    void throwIfAny() throws PolicyValidationException {
        if (!list.isEmpty()) {
            throw new PolicyValidationException(list);
        }
    }
}
