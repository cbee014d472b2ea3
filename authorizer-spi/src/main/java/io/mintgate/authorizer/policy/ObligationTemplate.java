package io.mintgate.authorizer.policy;

import io.mintgate.authorizer.policy.cel.CelValues;
import io.mintgate.authorizer.policy.cel.CompiledExpression;
import io.mintgate.authorizer.policy.cel.RequestActivation;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** A rule's compiled obligation expressions; each is optional and evaluated only when the rule allows. */
record ObligationTemplate(CompiledExpression keepScopes, CompiledExpression keepAudiences, CompiledExpression keepRoles,
                          CompiledExpression maxAccessTokenLifetime, CompiledExpression refreshToken,
                          CompiledExpression maxRefreshTokenLifetime, Map<String, CompiledExpression> claims,
                          CompiledExpression decisionIdClaim, CompiledExpression actClaim,
                          CompiledExpression keepAuthorizationDetailTypes, CompiledExpression keepAuthorizationDetailActions,
                          CompiledExpression keepAuthorizationDetailLocations) {

    /** Claim that carries the decision id, so a resource server (or an investigator) can join a token to its audit record. */
    static final String DECISION_ID_CLAIM = "mintgate_decision_id";
    /** RFC 8693 section 4.1: the acting party of a delegation. */
    static final String ACT_CLAIM = "act";

    static final ObligationTemplate NONE = new ObligationTemplate(null, null, null, null, null, null, Map.of(), null, null,
            null, null, null);

    /**
     * Evaluates every expression, then narrows {@code into} by the result; if any expression fails, {@code into}
     * is left untouched (the rule's obligations apply all together or not at all).
     *
     * @throws PolicyEvaluationException when an expression fails or yields the wrong kind of value
     */
    void evaluateInto(RequestActivation activation, ObligationsAccumulator into, String decisionId) {
        if (this == NONE) {
            return;
        }
        Map<String, Object> claimValues = null;
        if (!claims.isEmpty()) {
            claimValues = new LinkedHashMap<>();
            for (Map.Entry<String, CompiledExpression> claim : claims.entrySet()) {
                claimValues.put(claim.getKey(), CelValues.toJava(claim.getValue().eval(activation)));
            }
        }
        if (decisionIdClaim != null && decisionIdClaim.evalBool(activation)) {
            claimValues = claimValues == null ? new LinkedHashMap<>() : claimValues;
            claimValues.put(DECISION_ID_CLAIM, decisionId);
        }
        ActorInfo actor = activation.request().actor();
        if (actClaim != null && actor.present() && actClaim.evalBool(activation)) {
            claimValues = claimValues == null ? new LinkedHashMap<>() : claimValues;
            claimValues.put(ACT_CLAIM, act(actor));
        }
        Collection<String> scopes = strings(keepScopes, activation);
        Collection<String> audiences = strings(keepAudiences, activation);
        Collection<String> roles = strings(keepRoles, activation);
        Duration maxAccess = duration(maxAccessTokenLifetime, activation);
        boolean refresh = refreshToken == null || refreshToken.evalBool(activation);
        Duration maxRefresh = duration(maxRefreshTokenLifetime, activation);
        AuthorizationDetailLimits details = AuthorizationDetailLimits.of(strings(keepAuthorizationDetailTypes, activation),
                strings(keepAuthorizationDetailActions, activation), strings(keepAuthorizationDetailLocations, activation));
        into.add(scopes, audiences, roles, maxAccess, refresh, maxRefresh, claimValues);
        into.limitAuthorizationDetails(details);
    }

    /**
     * The {@code act} claim of the actor, with the earlier actors of the chain nested in it, newest outermost (RFC
     * 8693 section 4.1: a nested {@code act} is a prior actor).
     */
    static Map<String, Object> act(ActorInfo actor) {
        Map<String, Object> act = null;
        for (int i = actor.prior().size() - 1; i >= -1; i--) {
            String clientId = i < 0 ? actor.clientId() : actor.prior().get(i).clientId();
            String subject = i < 0 ? actor.subject() : actor.prior().get(i).subject();
            Map<String, Object> outer = new LinkedHashMap<>();
            outer.put("sub", subject.isEmpty() ? clientId : subject);
            if (!clientId.isEmpty()) {
                outer.put("client_id", clientId);
            }
            if (act != null) {
                outer.put(ACT_CLAIM, act);
            }
            act = outer;
        }
        return act;
    }

    /** The expression's items, checked to all be strings; read-only, never copied. */
    @SuppressWarnings("unchecked")
    private static Collection<String> strings(CompiledExpression expr, RequestActivation activation) {
        if (expr == null) {
            return null;
        }
        Object value = expr.eval(activation);
        if (!(value instanceof Collection<?> items)) {
            throw new PolicyEvaluationException(expr.field() + ": expected list(string)", null);
        }
        for (Object item : items) {
            if (!(item instanceof String)) {
                throw new PolicyEvaluationException(expr.field() + ": expected list(string) but an item is not a string", null);
            }
        }
        return (Collection<String>) items;
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
