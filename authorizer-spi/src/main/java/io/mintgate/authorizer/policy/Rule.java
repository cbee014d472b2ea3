package io.mintgate.authorizer.policy;

import io.mintgate.authorizer.policy.cel.CompiledExpression;
import io.mintgate.authorizer.policy.cel.RequestActivation;

/**
 * One compiled rule. {@code condition} is the deny expression when {@code denyWhenTrue}, else the allowIf
 * expression; {@code match} is null when the rule always applies.
 */
record Rule(String name, String reason, String message, Mode mode, OnError onError,
            CompiledExpression match, CompiledExpression condition, boolean denyWhenTrue,
            ObligationTemplate obligations) {

    boolean applies(RequestActivation activation) {
        return match == null || match.evalBool(activation);
    }

    boolean denies(RequestActivation activation) {
        return condition.evalBool(activation) == denyWhenTrue;
    }
}
