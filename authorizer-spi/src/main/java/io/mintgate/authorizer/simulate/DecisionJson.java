package io.mintgate.authorizer.simulate;

import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.DecisionTrace;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.RuleFinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A simulated decision as JSON (maps and lists; null members are left out when written): one policy's decision with
 * its findings, per-rule trace and obligations, and combined obligations. Shared by the admin REST simulator and the
 * offline {@code simulate} command, so both answer in the same words (docs/changing-policy.md, "The simulator").
 */
public final class DecisionJson {

    private DecisionJson() {
    }

    /**
     * The answer's first members: {@code outcome}, the denying decision's {@code reason}, {@code message},
     * {@code rule} and {@code policyVersion}, {@code policySource}, {@code policies} and, on allow, the combined
     * {@code obligations}.
     *
     * @param deciding the first policy's decision that denied, null when every policy allowed
     */
    public static Map<String, Object> answer(Decision deciding, String policySource, List<Map<String, Object>> policies,
                                             Obligations combined) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("outcome", deciding == null ? "allow" : "deny");
        if (deciding != null) {
            out.put("reason", deciding.reason());
            out.put("message", deciding.message());
            out.put("rule", deciding.rule());
            out.put("policyVersion", deciding.policyVersion());
        }
        out.put("policySource", policySource);
        out.put("policies", policies);
        out.put("obligations", deciding == null ? obligations(combined) : null);
        return out;
    }

    /**
     * One policy's entry of {@code policies}: {@code name}, then {@code extra} (where the policy comes from), the
     * decision, its findings, the trace (empty when the policy could not be evaluated) and an allow's obligations.
     */
    public static Map<String, Object> policy(String name, Map<String, Object> extra, Decision decision, DecisionTrace trace) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        if (extra != null) {
            m.putAll(extra);
        }
        m.put("policyVersion", decision.policyVersion());
        m.put("outcome", decision.allowed() ? "allow" : "deny");
        m.put("reason", decision.reason());
        m.put("rule", decision.rule());
        List<Map<String, Object>> findings = new ArrayList<>();
        for (RuleFinding f : decision.findings()) {
            Map<String, Object> finding = new LinkedHashMap<>();
            finding.put("rule", f.rule());
            finding.put("reason", f.reason());
            finding.put("mode", f.mode() == null ? null : f.mode().name().toLowerCase(Locale.ROOT));
            finding.put("error", f.error());
            finding.put("detail", f.detail());
            findings.add(finding);
        }
        m.put("findings", findings);
        m.put("trace", trace == null ? List.of() : trace(trace));
        m.put("obligations", decision.allowed() ? obligations(decision.obligations()) : null);
        return m;
    }

    /** Every rule of the policy in document order, with what it did (see {@link DecisionTrace.Step}). */
    public static List<Map<String, Object>> trace(DecisionTrace trace) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (DecisionTrace.Step s : trace.steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("rule", s.rule());
            step.put("mode", s.mode().name().toLowerCase(Locale.ROOT));
            step.put("result", s.result().name().toLowerCase(Locale.ROOT));
            step.put("reason", s.reason());
            step.put("message", s.message());
            if (s.failedField() != null) {
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("field", s.failedField());
                failed.put("expression", s.failedExpression());
                step.put("failed", failed);
            }
            step.put("detail", s.detail());
            if (s.result() == DecisionTrace.Result.ERROR) {
                step.put("refused", s.refused());
            }
            steps.add(step);
        }
        return steps;
    }

    /** The request's grant as the answer's {@code context.grant} shows it; cells only when the request has some. */
    public static Map<String, Object> grant(Grant grant) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", grant.type());
        out.put("scopes", grant.scopes());
        out.put("audiences", grant.audiences());
        out.put("resources", grant.resources());
        if (!grant.authorizationDetails().isEmpty()) {
            out.put("authorizationDetails", grant.authorizationDetails());
        }
        return out;
    }

    /** Obligations as the answer shows them: sets sorted, lifetimes in seconds, null = unrestricted. */
    public static Map<String, Object> obligations(Obligations o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keepScopes", sorted(o.keepScopes()));
        m.put("keepAudiences", sorted(o.keepAudiences()));
        m.put("keepRoles", sorted(o.keepRoles()));
        m.put("maxAccessTokenLifetime", o.maxAccessTokenLifetime() == null ? null : o.maxAccessTokenLifetime().toSeconds());
        m.put("refreshToken", o.refreshTokenAllowed());
        m.put("maxRefreshTokenLifetime", o.maxRefreshTokenLifetime() == null ? null : o.maxRefreshTokenLifetime().toSeconds());
        m.put("claims", o.claims());
        m.put("keepAuthorizationDetailTypes", o.authorizationDetails() == null ? null : sorted(o.authorizationDetails().types()));
        m.put("keepAuthorizationDetailActions", o.authorizationDetails() == null ? null : sorted(o.authorizationDetails().actions()));
        m.put("keepAuthorizationDetailLocations", o.authorizationDetails() == null ? null : sorted(o.authorizationDetails().locations()));
        m.put("authorizationDetails", o.authorizationDetails() == null ? null : o.authorizationDetails().cells());
        return m;
    }

    private static List<String> sorted(Set<String> values) {
        return values == null ? null : new ArrayList<>(new TreeSet<>(values));
    }
}
