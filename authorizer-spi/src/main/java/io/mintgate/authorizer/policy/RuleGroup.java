package io.mintgate.authorizer.policy;

import io.mintgate.authorizer.policy.cel.CelEnvironment;
import io.mintgate.authorizer.policy.cel.CompiledExpression;
import io.mintgate.authorizer.policy.cel.RequestActivation;
import java.util.List;

/**
 * A run of consecutive plain rules (enforce mode, a condition, no obligations, no checks) asked as one CEL program:
 * {@code v1 ? 1 : v2 ? 2 : ... : 0}, where {@code vi} is rule i's "does it deny?" expression. CEL's conditional is
 * lazy, so the program evaluates exactly the rules the one-by-one loop would, in the same order, and stops at the
 * first that denies.
 *
 * <p>Why: every program evaluation has a fixed cost in cel-java (an execution frame, a resolver, our error
 * handling); a typical policy spends a third of a decision on it. The group is only a shortcut for the common case
 * where nothing fails: if the program raises any error, {@link PolicySet} forgets its result and evaluates the same
 * rules one by one, so that onError, the finding's detail and fail-closed behave exactly as without the group
 * (the rules are pure and variables are memoized per request, so evaluating them again changes nothing).
 */
record RuleGroup(int start, int end, CompiledExpression program) {

    /** Result of {@link #firstDenying} when no rule of the group denies. */
    static final int NONE = -1;
    /** Above this many rules a group is split: a long nested conditional gains nothing and strains the parser. */
    static final int MAX_RULES = 12;

    /**
     * Index (in the policy) of the first rule of the group that denies, or {@link #NONE}.
     *
     * @throws PolicyEvaluationException when any rule of the group fails: evaluate them one by one instead
     */
    int firstDenying(RequestActivation activation) {
        Object value = program.eval(activation);
        if (!(value instanceof Long index) || index < 0 || index > end - start) {
            throw new PolicyEvaluationException(program.field() + ": unexpected group result", null);
        }
        return index == 0 ? NONE : start + (int) (long) index - 1;
    }

    /**
     * The groups of {@code rules}, indexed by the position of their first rule (null elsewhere). Rules that cannot
     * be grouped, or a group whose program does not compile, are simply evaluated one by one.
     */
    static RuleGroup[] plan(List<Rule> rules, CelEnvironment.ExpressionCompiler compiler) {
        RuleGroup[] groups = new RuleGroup[rules.size()];
        if (compiler == null) {
            return groups;
        }
        int i = 0;
        while (i < rules.size()) {
            int end = i;
            int length = 0;
            while (end < rules.size() && end - i < MAX_RULES && groupable(rules.get(end))
                    && length + rules.get(end).denySource().length() + 32 <= CelEnvironment.MAX_EXPRESSION_LENGTH) {
                length += rules.get(end).denySource().length() + 32;
                end++;
            }
            if (end - i >= 2) {
                groups[i] = compile(rules, i, end, compiler);
            }
            i = Math.max(end, i + 1);
        }
        return groups;
    }

    static boolean groupable(Rule rule) {
        return rule.mode() == Mode.ENFORCE && rule.denySource() != null && rule.checks().isEmpty()
                && rule.obligations() == ObligationTemplate.NONE;
    }

    private static RuleGroup compile(List<Rule> rules, int start, int end, CelEnvironment.ExpressionCompiler compiler) {
        StringBuilder source = new StringBuilder();
        for (int i = start; i < end; i++) {
            // A newline after each rule's source ends any // comment it has.
            source.append("(").append(rules.get(i).denySource()).append("\n) ? ").append(i - start + 1).append(" : ");
        }
        source.append("0");
        String field = "rules[" + rules.get(start).name() + ".." + rules.get(end - 1).name() + "]";
        CelEnvironment.Result result = compiler.compile(field, source.toString());
        return result.ok() && "int".equals(result.expression().type().name())
                ? new RuleGroup(start, end, result.expression()) : null;
    }
}
