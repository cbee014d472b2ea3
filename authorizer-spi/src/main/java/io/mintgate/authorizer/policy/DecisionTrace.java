package io.mintgate.authorizer.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * What each rule did in one evaluation, filled by the engine while it decides ({@link PolicySet#evaluate(
 * IssuanceRequest, DecisionServices, DecisionTrace)}), for the simulator and the offline {@code simulate} command.
 * The live token path passes none and pays nothing: every call into a trace sits behind a null check. One trace per
 * evaluation; not thread-safe.
 */
public final class DecisionTrace {

    /** What a rule did. */
    public enum Result {
        /** Its {@code match} was false. */
        SKIPPED,
        /** It applied and did not refuse (an enforce rule's obligations, if any, then apply). */
        ALLOWED,
        /** An enforce rule refused: its condition or a check ({@link Step#failedField()}). */
        DENIED,
        /** A shadow rule would have refused; nothing changed. */
        SHADOW_DENIED,
        /** One of its expressions or checks failed to evaluate ({@link Step#detail()}). */
        ERROR,
        /**
         * Its condition let the request through, but its budget was never consulted: budgets run last, only when no
         * rule refused, and one did.
         */
        DEFERRED,
        /** Evaluation had stopped before it, at an enforce rule's refusal. */
        NOT_EVALUATED
    }

    /**
     * One rule's part in the decision. {@code reason} and {@code message} are those of the refusal (for an error that
     * refused, {@code policy_error}); {@code failedField} is the first part of the rule that refused, as a path of the
     * policy document ({@code rules[2].deny}, {@code rules[2].allowIf}, {@code rules[2].authzen},
     * {@code rules[2].budget}), with {@code failedExpression} the condition's text (null for a check); {@code detail}
     * is an error's (internals: never for the client); {@code refused} whether this rule decided the refusal.
     */
    public record Step(String rule, Mode mode, Result result, String reason, String message, String failedField,
                       String failedExpression, String detail, boolean refused) {
    }

    private List<Rule> rules;
    private Step[] steps;

    /** Called once by the engine when evaluation starts. */
    void begin(List<Rule> evaluated) {
        if (rules != null) {
            throw new IllegalStateException("a DecisionTrace records one evaluation");
        }
        rules = evaluated;
        steps = new Step[evaluated.size()];
    }

    void skipped(int index) {
        put(index, Result.SKIPPED, null, null, null, null, null, false);
    }

    void allowed(int index) {
        put(index, Result.ALLOWED, null, null, null, null, null, false);
    }

    void deferred(int index) {
        put(index, Result.DEFERRED, null, null, null, null, null, false);
    }

    /** The rule's own condition ({@code deny} true or {@code allowIf} false) refused. */
    void conditionDenied(int index) {
        Rule rule = rules.get(index);
        refusal(index, rule.reason(), rule.message(), rule.condition().field(), rule.conditionSource());
    }

    /** The rule's check number {@code check} refused. */
    void checkDenied(int index, int check, RuleCheck.CheckDenial denial) {
        refusal(index, denial.reason(), denial.message(), rules.get(index).checkFields().get(check), null);
    }

    /** An expression or check failed; {@code refused} when that refused the request (enforce, onError deny). */
    void error(int index, String detail, boolean refused) {
        put(index, Result.ERROR, refused ? PolicySet.POLICY_ERROR : null,
                refused ? PolicySet.POLICY_ERROR_MESSAGE : null, null, null, detail, refused);
    }

    private void refusal(int index, String reason, String message, String field, String expression) {
        boolean shadow = rules.get(index).mode() == Mode.SHADOW;
        put(index, shadow ? Result.SHADOW_DENIED : Result.DENIED, reason, message, field, expression, null, !shadow);
    }

    private void put(int index, Result result, String reason, String message, String field, String expression,
                     String detail, boolean refused) {
        Rule rule = rules.get(index);
        steps[index] = new Step(rule.name(), rule.mode(), result, reason, message, field, expression, detail, refused);
    }

    /** Every rule of the policy in document order; those evaluation did not reach are {@link Result#NOT_EVALUATED}. */
    public List<Step> steps() {
        if (rules == null) {
            return List.of();
        }
        List<Step> out = new ArrayList<>(steps.length);
        for (int i = 0; i < steps.length; i++) {
            Rule rule = rules.get(i);
            out.add(steps[i] != null ? steps[i]
                    : new Step(rule.name(), rule.mode(), Result.NOT_EVALUATED, null, null, null, null, null, false));
        }
        return out;
    }
}
