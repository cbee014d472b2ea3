package io.mintgate.authorizer.keycloak.simulate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.RuleFinding;
import org.keycloak.representations.AccessToken;

/** The simulator's answer as JSON (docs/changing-policy.md, "The simulator"). */
final class SimulationJson {

    private SimulationJson() {
    }

    static Map<String, Object> answer(IssuanceRequest request, Decision deciding, List<Map<String, Object>> policies,
                                      Obligations obligations, AccessToken token, AccessToken before, String narrowed,
                                      boolean refreshToken, boolean callPdps, boolean draft) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("outcome", deciding == null ? "allow" : "deny");
        if (deciding != null) {
            out.put("reason", deciding.reason());
            out.put("message", deciding.message());
            out.put("rule", deciding.rule());
            out.put("policyVersion", deciding.policyVersion());
        }
        out.put("policySource", draft ? "draft" : "realm");
        out.put("policies", policies);
        out.put("obligations", deciding == null ? obligations(obligations) : null);
        out.put("token", token == null ? null : token(token, refreshToken));
        out.put("before", token(before, refreshToken));
        out.put("narrowed", narrowed.isEmpty() ? List.of() : List.of(narrowed.split(";")));
        out.put("budgets", "read, not taken");
        out.put("pdps", callPdps ? "called" : "not called: a rule that asks a PDP fails as if the PDP were unreachable");
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("time", request.time().toString());
        context.put("event", request.event());
        context.put("grant", Map.of("type", request.grant().type(), "scopes", request.grant().scopes(),
                "audiences", request.grant().audiences(), "resources", request.grant().resources()));
        context.put("subject", Map.of("id", request.subject().id(), "username", request.subject().username(),
                "serviceAccount", request.subject().serviceAccount()));
        context.put("nhi", Map.of("owner", request.nhi().owner(), "ownerExists", request.nhi().ownerExists(),
                "ownerEnabled", request.nhi().ownerEnabled(),
                "expiresAt", request.nhi().expiresAt() == null ? "" : request.nhi().expiresAt().toString()));
        out.put("context", context);
        return out;
    }

    static Map<String, Object> policy(String name, Map<String, Object> covering, String note, Decision decision) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        if (covering != null) {
            m.putAll(covering);
        }
        if (note != null) {
            m.put("note", note);
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
            finding.put("mode", f.mode() == null ? null : f.mode().name().toLowerCase());
            finding.put("error", f.error());
            finding.put("detail", f.detail());
            findings.add(finding);
        }
        m.put("findings", findings);
        m.put("obligations", decision.allowed() ? obligations(decision.obligations()) : null);
        return m;
    }

    private static Map<String, Object> obligations(Obligations o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keepScopes", o.keepScopes() == null ? null : new ArrayList<>(new java.util.TreeSet<>(o.keepScopes())));
        m.put("keepAudiences", o.keepAudiences() == null ? null : new ArrayList<>(new java.util.TreeSet<>(o.keepAudiences())));
        m.put("keepRoles", o.keepRoles() == null ? null : new ArrayList<>(new java.util.TreeSet<>(o.keepRoles())));
        m.put("maxAccessTokenLifetime", o.maxAccessTokenLifetime() == null ? null : o.maxAccessTokenLifetime().toSeconds());
        m.put("refreshToken", o.refreshTokenAllowed());
        m.put("maxRefreshTokenLifetime", o.maxRefreshTokenLifetime() == null ? null : o.maxRefreshTokenLifetime().toSeconds());
        m.put("claims", o.claims());
        return m;
    }

    private static Map<String, Object> token(AccessToken t, boolean refreshToken) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scopes", Simulator.scopes(t));
        m.put("audiences", t.getAudience() == null ? List.of() : List.of(t.getAudience()));
        m.put("realmRoles", t.getRealmAccess() == null || t.getRealmAccess().getRoles() == null ? List.of()
                : new ArrayList<>(new java.util.TreeSet<>(t.getRealmAccess().getRoles())));
        Map<String, Object> clientRoles = new TreeMap<>();
        if (t.getResourceAccess() != null) {
            t.getResourceAccess().forEach((client, access) -> clientRoles.put(client,
                    new ArrayList<>(new java.util.TreeSet<>(access.getRoles()))));
        }
        m.put("clientRoles", clientRoles);
        m.put("accessTokenLifetime", t.getExp() == null || t.getIat() == null ? null : t.getExp() - t.getIat());
        m.put("refreshToken", refreshToken);
        m.put("claims", new TreeMap<>(t.getOtherClaims()));
        return m;
    }
}
