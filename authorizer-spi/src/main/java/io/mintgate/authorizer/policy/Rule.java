package io.mintgate.authorizer.policy;

import io.mintgate.authorizer.policy.cel.CompiledExpression;
import io.mintgate.authorizer.policy.cel.RequestActivation;

/**
 * One compiled rule. {@code condition} is the deny expression when {@code denyWhenTrue}, else the allowIf
 * expression (null when the rule is made only of {@link RuleCheck}s); {@code match} is null when the rule always
 * applies. {@code conditionSource} is the condition as the admin wrote it and {@code checkFields} the field path of
 * each check (same order), both only for a {@link DecisionTrace} to name what refused. {@code denySource} is the CEL source of "does the rule's condition deny?" (match included), null when
 * the rule has no condition; {@link RuleGroup} combines it with its neighbours'.
 */
record Rule(String name, String reason, String message, Mode mode, OnError onError,
            CompiledExpression match, CompiledExpression condition, boolean denyWhenTrue,
            ObligationTemplate obligations, java.util.List<RuleCheck> checks, CompiledExpression verdict,
            String denySource, String conditionSource, java.util.List<String> checkFields) {

    Rule {
        checks = java.util.List.copyOf(checks);
        checkFields = java.util.List.copyOf(checkFields);
        if (checkFields.size() != checks.size()) {
            throw new IllegalArgumentException("one field per check");
        }
    }

    /** True when the whole rule is one "does it deny?" program (see RuleCompiler#verdict). */
    boolean singleProgram() {
        return verdict != null;
    }

    /** Only for {@link #singleProgram()} rules: matches and denies, in one evaluation. */
    boolean matchesAndDenies(RequestActivation activation) {
        return verdict.evalBool(activation);
    }

    boolean applies(RequestActivation activation) {
        return match == null || match.evalBool(activation);
    }

    boolean denies(RequestActivation activation) {
        // A rule made only of checks (e.g. just an AuthZEN delegation) has no condition of its own.
        return condition != null && condition.evalBool(activation) == denyWhenTrue;
    }
}
