package io.mintgate.authorizer.policy.authzen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mintgate.authorizer.policy.DecisionServices;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.PolicyEvaluationException;
import io.mintgate.authorizer.policy.RuleCheck;
import io.mintgate.authorizer.policy.cel.RequestActivation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A rule's delegation to an OpenID AuthZEN 1.0 PDP: maps the issuance context to subject/action/resource/context,
 * asks the PDP (once, or once per requested scope or audience in one batch) and denies unless every decision is
 * {@code true}. A PDP that cannot answer fails the check (the rule's {@code onError} applies).
 */
final class AuthzenCheck implements RuleCheck {

    /** What a batch request evaluates one item per. */
    enum Per {
        /** one item per requested scope, the scope as {@code action.name} */
        SCOPE,
        /** one item per requested audience, the audience as {@code resource.id} */
        AUDIENCE
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PdpConfig pdp;
    private final JsonTemplate subject;
    private final JsonTemplate action;
    private final JsonTemplate resource;
    private final JsonTemplate context;
    private final Per per;
    private final CheckDenial denial;

    AuthzenCheck(PdpConfig pdp, JsonTemplate subject, JsonTemplate action, JsonTemplate resource, JsonTemplate context,
                 Per per, CheckDenial denial) {
        this.pdp = pdp;
        this.subject = subject;
        this.action = action;
        this.resource = resource;
        this.context = context;
        this.per = per;
        this.denial = denial;
    }

    @Override
    public CheckDenial check(RequestActivation activation, DecisionServices services) {
        AuthzenQuery query = query(activation);
        if (query == null) {
            return null;
        }
        boolean[] decisions = services.require(AuthzenClient.class).evaluate(query);
        int expected = query.batch() ? query.evaluations() : 1;
        if (decisions.length != expected) {
            throw new PolicyEvaluationException("authzen pdp '" + pdp.name() + "': " + decisions.length
                    + " decisions for " + expected + " evaluations", null);
        }
        for (boolean allowed : decisions) {
            if (!allowed) {
                return denial;
            }
        }
        return null;
    }

    /** The request for this issuance; null when a per-scope/audience check has nothing to ask about. */
    AuthzenQuery query(RequestActivation activation) {
        Map<String, Object> body = new LinkedHashMap<>(8);
        body.put("subject", subject.evaluate(activation));
        Map<String, Object> actionValue = action.isEmpty() ? null : action.evaluate(activation);
        if (actionValue != null) {
            body.put("action", actionValue);
        }
        Map<String, Object> resourceValue = resource.evaluate(activation);
        body.put("resource", resourceValue);
        if (!context.isEmpty()) {
            body.put("context", context.evaluate(activation));
        }
        if (per == null) {
            return new AuthzenQuery(pdp, write(body), 0);
        }
        Grant grant = activation.request().grant();
        // Sorted and without duplicates: the same scopes in another order are the same question (and cache entry).
        TreeSet<String> values = new TreeSet<>(per == Per.SCOPE ? grant.scopes() : grant.audiences());
        if (values.isEmpty()) {
            return null;
        }
        List<Object> items = new ArrayList<>(values.size());
        for (String value : values) {
            if (per == Per.SCOPE) {
                Map<String, Object> itemAction = actionValue == null ? new LinkedHashMap<>(2) : new LinkedHashMap<>(actionValue);
                itemAction.put("name", value);
                items.add(Map.of("action", itemAction));
            } else {
                Map<String, Object> itemResource = new LinkedHashMap<>(resourceValue);
                itemResource.put("id", value);
                items.add(Map.of("resource", itemResource));
            }
        }
        body.put("evaluations", items);
        return new AuthzenQuery(pdp, write(body), items.size());
    }

    private String write(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new PolicyEvaluationException("authzen pdp '" + pdp.name() + "': request not serializable: "
                    + e.getOriginalMessage(), e);
        }
    }
}
