package io.mintgate.authorizer.keycloak.simulate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.simulate.DecisionJson;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.RefreshToken;
import org.keycloak.util.JsonSerialization;

/**
 * The simulator's answer as JSON (docs/changing-policy.md, "The simulator"): {@link DecisionJson}'s decision members
 * (shared with the offline command), then what needs the realm: the token's contents before and after narrowing.
 */
final class SimulationJson {

    private SimulationJson() {
    }

    static Map<String, Object> answer(IssuanceRequest request, Decision deciding, List<Map<String, Object>> policies,
                                      Obligations obligations, AccessToken token, AccessToken before, String narrowed,
                                      RefreshToken refresh, RefreshToken refreshBefore, boolean callPdps, boolean draft) {
        Map<String, Object> out = DecisionJson.answer(deciding, draft ? "draft" : "realm", policies, obligations);
        out.put("token", token == null ? null : token(token, refresh));
        out.put("before", token(before, refreshBefore));
        out.put("narrowed", narrowed.isEmpty() ? List.of() : List.of(narrowed.split(";")));
        out.put("budgets", "read, not taken");
        out.put("pdps", callPdps ? "called" : "not called: a rule that asks a PDP fails as if the PDP were unreachable");
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("time", request.time().toString());
        context.put("event", request.event());
        context.put("grant", DecisionJson.grant(request.grant()));
        context.put("subject", Map.of("id", request.subject().id(), "username", request.subject().username(),
                "serviceAccount", request.subject().serviceAccount()));
        context.put("nhi", Map.of("owner", request.nhi().owner(), "ownerExists", request.nhi().ownerExists(),
                "ownerEnabled", request.nhi().ownerEnabled(),
                "expiresAt", request.nhi().expiresAt() == null ? "" : request.nhi().expiresAt().toString()));
        out.put("context", context);
        return out;
    }

    /** @param refresh the refresh token the response would carry, null for none */
    private static Map<String, Object> token(AccessToken t, RefreshToken refresh) {
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
        m.put("refreshToken", refresh != null);
        if (refresh != null) {
            m.put("refreshTokenType", refresh.getType());
            m.put("refreshTokenLifetime", ExampleRefreshTokens.lifetime(refresh));
        }
        if (t.getAuthorizationDetails() != null) {
            // RFC 9396 section 9.1: the cells granted, as the token's authorization_details claim carries them
            m.put("authorizationDetails", JsonSerialization.mapper.convertValue(t.getAuthorizationDetails(), List.class));
        }
        m.put("claims", new TreeMap<>(t.getOtherClaims()));
        return m;
    }
}
