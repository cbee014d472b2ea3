package io.mintgate.authorizer.simulate;

import io.mintgate.authorizer.policy.AuthorizationDetails;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.DecisionServices;
import io.mintgate.authorizer.policy.DecisionTrace;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.authzen.AuthzenAnswer;
import io.mintgate.authorizer.policy.authzen.AuthzenClient;
import io.mintgate.authorizer.policy.budget.BudgetCounters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator's answer without a server: one policy document decides a request written as a policy test's
 * {@code request} ({@link io.mintgate.authorizer.policy.IssuanceRequestJson}), with the engine and the answer's
 * words of the admin REST simulator ({@link DecisionJson}). What needs a realm (roles, mappers, client scopes,
 * lifetimes, budget counters) is not computed; the answer's {@code offline} member says so.
 */
public final class OfflineSimulation {

    /** What the answer says it did not compute. */
    static final String OFFLINE = "no realm: the token's roles, protocol mappers, client scopes and lifetimes are not"
            + " computed, nor budget counters (POST /admin/realms/{realm}/mintgate/simulate computes them)";

    /** How budget rules are answered offline. */
    public enum Budgets {
        /** Fail as if the counters were unreachable: the rule's {@code onError} applies (deny by default). */
        UNREACHABLE,
        /** Every budget has a unit left (nothing is counted). */
        LEFT
    }

    /** How rules that ask an AuthZEN PDP are answered offline: never by a network call. */
    public enum Pdps {
        /** Fail as if the PDP were unreachable: the rule's {@code onError} applies (deny by default). */
        UNREACHABLE,
        /** Every PDP answers every evaluation with {@code true}. */
        ALLOW,
        /** Every PDP answers every evaluation with {@code false}. */
        DENY
    }

    private OfflineSimulation() {
    }

    /**
     * @param policyName how the answer names the policy (the file)
     * @return the answer (docs/changing-policy.md, "Offline: the simulate command")
     */
    public static Map<String, Object> answer(String policyName, PolicySet policy, IssuanceRequest request,
                                             Budgets budgets, Pdps pdps) {
        DecisionTrace trace = new DecisionTrace();
        Decision decision = policy.evaluate(request, services(budgets, pdps), trace);
        Map<String, Object> out = DecisionJson.answer(decision.allowed() ? null : decision, "file",
                List.of(DecisionJson.policy(policyName, null, decision, trace)), decision.obligations());
        if (decision.allowed()) {
            Obligations o = decision.obligations();
            List<String> removed = new ArrayList<>();
            Map<String, Object> kept = new LinkedHashMap<>();
            kept.put("scopes", kept(request.grant().scopes(), o.keepScopes(), true, "scope:-", removed));
            kept.put("audiences", kept(request.grant().audiences(), o.keepAudiences(), false, "aud:-", removed));
            List<Map<String, Object>> cells = request.grant().authorizationDetails();
            if (!cells.isEmpty()) {
                // the token path's narrowing of RFC 9396 cells (GrantedAuthorizationDetails), without a token
                List<Map<String, Object>> granted = AuthorizationDetails.narrow(cells, o.authorizationDetails());
                kept.put("authorizationDetails", granted);
                String dropped = AuthorizationDetails.removed(cells, granted);
                if (!dropped.isEmpty()) {
                    removed.addAll(List.of(dropped.split(";")));
                }
            }
            out.put("kept", kept);
            out.put("narrowed", removed);
        }
        out.put("budgets", switch (budgets) {
            case UNREACHABLE -> "unreachable: a budget rule fails as if its counters could not be reached";
            case LEFT -> "every budget has a unit left (--budgets-left); nothing is counted";
        });
        out.put("pdps", switch (pdps) {
            case UNREACHABLE -> "not called: a rule that asks a PDP fails as if the PDP were unreachable";
            case ALLOW -> "not called: every PDP evaluation answered true (--pdp-answer allow)";
            case DENY -> "not called: every PDP evaluation answered false (--pdp-answer deny)";
        });
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("time", request.time().toString());
        context.put("grant", DecisionJson.grant(request.grant()));
        context.put("client", request.client().clientId());
        out.put("context", context);
        out.put("offline", OFFLINE);
        return out;
    }

    /** The requested values the obligation keeps (all when it is absent); the others go to {@code removed}. */
    private static List<String> kept(List<String> requested, java.util.Set<String> keep, boolean scopes, String prefix,
                                     List<String> removed) {
        List<String> kept = new ArrayList<>();
        for (String value : requested) {
            if (scopes ? Obligations.keepsScope(keep, value) : keep == null || keep.contains(value)) {
                kept.add(value);
            } else {
                removed.add(prefix + value);
            }
        }
        return kept;
    }

    private static DecisionServices services(Budgets budgets, Pdps pdps) {
        BudgetCounters counters = budgets == Budgets.LEFT ? (counter, limit, expiresAt) -> true : null;
        AuthzenClient pdp = pdps == Pdps.UNREACHABLE ? null : query -> {
            boolean[] answers = new boolean[Math.max(1, query.evaluations())];
            Arrays.fill(answers, pdps == Pdps.ALLOW);
            return new AuthzenAnswer(answers);
        };
        return new DecisionServices() {
            @Override
            public <T> T facility(Class<T> type) {
                Object facility = type == BudgetCounters.class ? counters : type == AuthzenClient.class ? pdp : null;
                return facility == null ? null : type.cast(facility);
            }
        };
    }
}
