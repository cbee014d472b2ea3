package io.mintgate.authorizer.keycloak;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.mintgate.authorizer.policy.Obligations;
import org.keycloak.representations.RefreshToken;

/**
 * The narrowing a refresh token was issued under, carried inside it. Keycloak rebuilds a refreshed token from the
 * client's scopes and re-adds default scopes, so without this a refresh could undo narrowing; the refresh token is
 * signed by the realm, so the carried obligations cannot be widened by the client.
 */
final class CarriedObligations {

    static final String CLAIM = "mintgate_narrowing";

    private CarriedObligations() {
    }

    /** Stores (intersected with what the token already carried) the obligations that must outlive this mint. */
    static void carry(RefreshToken refresh, Obligations obligations) {
        Obligations combined = read(refresh).intersect(withoutClaims(obligations));
        Map<String, Object> carried = new LinkedHashMap<>();
        put(carried, "keepScopes", combined.keepScopes());
        put(carried, "keepAudiences", combined.keepAudiences());
        put(carried, "keepRoles", combined.keepRoles());
        if (combined.maxAccessTokenLifetime() != null) {
            carried.put("maxAccessTokenLifetime", combined.maxAccessTokenLifetime().toSeconds());
        }
        if (!carried.isEmpty()) {
            refresh.setOtherClaims(CLAIM, carried);
        }
    }

    /** What the (verified) refresh token of this request carries; {@link Obligations#NONE} when nothing. */
    static Obligations read(RefreshToken refresh) {
        Object claim = refresh == null || refresh.getOtherClaims() == null ? null : refresh.getOtherClaims().get(CLAIM);
        if (!(claim instanceof Map<?, ?> carried)) {
            return Obligations.NONE;
        }
        Object lifetime = carried.get("maxAccessTokenLifetime");
        return new Obligations(set(carried.get("keepScopes")), set(carried.get("keepAudiences")),
                set(carried.get("keepRoles")),
                lifetime instanceof Number n ? Duration.ofSeconds(n.longValue()) : null, true, null, Map.of());
    }

    /** Lifetimes of the refresh token itself and extra claims are per mint, not carried. */
    private static Obligations withoutClaims(Obligations o) {
        return new Obligations(o.keepScopes(), o.keepAudiences(), o.keepRoles(), o.maxAccessTokenLifetime(), true, null, Map.of());
    }

    private static void put(Map<String, Object> carried, String name, Set<String> values) {
        if (values != null) {
            carried.put(name, values);
        }
    }

    private static Set<String> set(Object value) {
        if (!(value instanceof Collection<?> values)) {
            return null;
        }
        Set<String> set = new LinkedHashSet<>();
        values.forEach(v -> set.add(String.valueOf(v)));
        return set;
    }
}
