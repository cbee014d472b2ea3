package io.mintgate.authorizer.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A policy that cannot be saved; carries every problem found, not just the first. */
public final class PolicyValidationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<PolicyProblem> problems;

    public PolicyValidationException(List<PolicyProblem> problems) {
        super(problems.stream().map(PolicyProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<PolicyProblem> problems() {
        return problems;
    }
}
