package io.mintgate.authorizer.policy;

import io.mintgate.authorizer.policy.cel.CelValues;
import io.mintgate.authorizer.policy.cel.CompiledExpression;
import io.mintgate.authorizer.policy.cel.RequestActivation;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A rule's compiled obligation expressions; each is optional and evaluated only when the rule allows. */
record ObligationTemplate(CompiledExpression keepScopes, CompiledExpression keepAudiences, CompiledExpression keepRoles,
                          CompiledExpression maxAccessTokenLifetime, CompiledExpression refreshToken,
                          CompiledExpression maxRefreshTokenLifetime, Map<String, CompiledExpression> claims) {

    static final ObligationTemplate NONE = new ObligationTemplate(null, null, null, null, null, null, Map.of());

    /** @throws PolicyEvaluationException when an expression fails or yields the wrong kind of value */
    Obligations evaluate(RequestActivation activation) {
        if (this == NONE) {
            return Obligations.NONE;
        }
        Map<String, Object> claimValues = new LinkedHashMap<>();
        claims.forEach((name, expr) -> claimValues.put(name, CelValues.toJava(expr.eval(activation))));
        return new Obligations(
                strings(keepScopes, activation),
                strings(keepAudiences, activation),
                strings(keepRoles, activation),
                duration(maxAccessTokenLifetime, activation),
                refreshToken == null || refreshToken.evalBool(activation),
                duration(maxRefreshTokenLifetime, activation),
                claimValues);
    }

    private static Set<String> strings(CompiledExpression expr, RequestActivation activation) {
        if (expr == null) {
            return null;
        }
        Object value = expr.eval(activation);
        if (!(value instanceof Collection<?> items)) {
            throw new PolicyEvaluationException(expr.field() + ": expected list(string)", null);
        }
        Set<String> out = new LinkedHashSet<>();
        for (Object item : items) {
            if (!(item instanceof String s)) {
                throw new PolicyEvaluationException(expr.field() + ": expected list(string) but an item is not a string", null);
            }
            out.add(s);
        }
        return out;
    }

    private static Duration duration(CompiledExpression expr, RequestActivation activation) {
        if (expr == null) {
            return null;
        }
        Object value = expr.eval(activation);
        if (!(value instanceof Duration d)) {
            throw new PolicyEvaluationException(expr.field() + ": expected a duration", null);
        }
        if (d.isNegative()) {
            throw new PolicyEvaluationException(expr.field() + ": a lifetime cannot be negative", null);
        }
        return d;
    }
}
