package io.mintgate.authorizer.policy.budget;

import io.mintgate.authorizer.policy.DecisionServices;
import io.mintgate.authorizer.policy.PolicyEvaluationException;
import io.mintgate.authorizer.policy.RuleCheck;
import io.mintgate.authorizer.policy.cel.CompiledExpression;
import io.mintgate.authorizer.policy.cel.RequestActivation;
import java.time.Instant;

/**
 * A rule's {@code budget}: at most {@code limit} tokens per {@code window} for each value of {@code key}. Counted
 * last (see {@link #consumes()}), so a token refused by any other rule uses no budget.
 */
public record IssuanceBudget(String rule, CompiledExpression key, long limit, BudgetWindow window) implements RuleCheck {

    public static final String REASON = "budget_exhausted";

    @Override
    public CheckDenial check(RequestActivation activation, DecisionServices services) {
        String keyValue = keyOf(activation);
        Instant now = activation.request().time();
        BudgetWindow.Span span = window.spanAt(now);
        String counter = counterName(keyValue, span);
        if (services.require(BudgetCounters.class).tryTake(counter, limit, span.resetsAt())) {
            return null;
        }
        return new CheckDenial(REASON, "Issuance budget of " + limit + " per " + window.length()
                + " for this key is exhausted; it resets at " + span.resetsAt() + ".");
    }

    /**
     * A shadow budget counts too, in its own counter (counters are per rule), because a budget that never counts
     * cannot tell when it would be exhausted; it never touches the counters of enforced rules.
     */
    @Override
    public CheckDenial checkShadow(RequestActivation activation, DecisionServices services) {
        return check(activation, services);
    }

    @Override
    public boolean consumes() {
        return true;
    }

    private String keyOf(RequestActivation activation) {
        Object value = key.eval(activation);
        if (!(value instanceof String text)) {
            throw new PolicyEvaluationException(key.field() + ": expected string but got "
                    + (value == null ? "null" : value.getClass().getSimpleName()), null);
        }
        if (text.isEmpty()) {
            // An absent owner or tenant must not pool every such request into one shared budget.
            throw new PolicyEvaluationException(key.field() + ": the budget key is empty", null);
        }
        return text;
    }

    /**
     * Rule, window length and window index scope the counter within the realm (the counters keep realms apart, see
     * {@link BudgetCounters}): a changed window starts afresh, a changed limit keeps counting. Separators cannot be
     * forged: the key value comes last.
     */
    String counterName(String keyValue, BudgetWindow.Span span) {
        return rule.length() + ":" + rule + "::" + window.length().getSeconds() + "::" + span.index() + "::" + keyValue;
    }
}
