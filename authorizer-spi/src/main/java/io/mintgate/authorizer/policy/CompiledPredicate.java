package io.mintgate.authorizer.policy;

import io.mintgate.authorizer.policy.cel.CompiledExpression;
import io.mintgate.authorizer.policy.cel.PolicyVariables;
import io.mintgate.authorizer.policy.cel.RequestActivation;

/** A single boolean CEL expression over the issuance context, compiled once. Thread-safe. */
public final class CompiledPredicate {

    private final CompiledExpression expression;

    CompiledPredicate(CompiledExpression expression) {
        this.expression = expression;
    }

    /** @throws PolicyEvaluationException when the expression fails at evaluation time */
    public boolean test(IssuanceRequest request) {
        return expression.evalBool(new RequestActivation(request, PolicyVariables.NONE));
    }
}
