package io.mintgate.authorizer.keycloak.enforce;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.mintgate.authorizer.policy.Obligations;
import org.keycloak.representations.JsonWebToken;

/**
 * The narrowing a token was issued under, carried inside it (claim {@value #CLAIM}), in the access token and in the
 * refresh token. Keycloak re-derives tokens from the client's scopes, mappers and role mappings — on refresh, in
 * introspection, at userinfo, in a token exchange — so without this each of those could undo narrowing; the tokens
 * are signed by the realm, so the carried obligations cannot be widened by the holder. Only what must outlive the
 * mint is carried: the kept scopes, audiences and roles, the access-token lifetime cap and a forbidden refresh token.
 */
final class CarriedObligations {

    static final String CLAIM = "mintgate_narrowing";

    /** The members {@link #encode} writes; any other one is refused. */
    private static final Set<String> KNOWN = Set.of("keepScopes", "keepAudiences", "keepRoles",
            "maxAccessTokenLifetime", "refreshToken");

    /** A {@value #CLAIM} claim that is there but cannot be read: whoever meets it refuses (fail closed). */
    static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    private CarriedObligations() {
    }

    /** Stores in {@code token} (intersected with what it already carries) the obligations that must outlive this mint. */
    static void carry(JsonWebToken token, Obligations obligations) {
        Obligations combined = read(token).intersect(carried(obligations));
        Map<String, Object> claim = encode(combined);
        if (!claim.isEmpty()) {
            token.setOtherClaims(CLAIM, claim);
        }
    }

    /**
     * What the (verified) token carries; {@link Obligations#NONE} when it carries nothing.
     *
     * @throws Unreadable when the claim is there but not in the form {@link #carry} writes
     */
    static Obligations read(JsonWebToken token) {
        return token == null || token.getOtherClaims() == null ? Obligations.NONE : decode(token.getOtherClaims().get(CLAIM));
    }

    /** The claim's JSON value for {@code obligations} (only the carried parts); empty when nothing is carried. */
    static Map<String, Object> encode(Obligations obligations) {
        Map<String, Object> claim = new LinkedHashMap<>();
        putIfSet(claim, "keepScopes", obligations.keepScopes());
        putIfSet(claim, "keepAudiences", obligations.keepAudiences());
        putIfSet(claim, "keepRoles", obligations.keepRoles());
        if (obligations.maxAccessTokenLifetime() != null) {
            claim.put("maxAccessTokenLifetime", obligations.maxAccessTokenLifetime().toSeconds());
        }
        if (!obligations.refreshTokenAllowed()) {
            claim.put("refreshToken", false);
        }
        return claim;
    }

    /** The obligations a claim value stands for; {@link Obligations#NONE} for no claim. */
    static Obligations decode(Object claim) {
        if (claim == null) {
            return Obligations.NONE;
        }
        if (!(claim instanceof Map<?, ?> carried)) {
            throw new Unreadable("not an object");
        }
        for (Object key : carried.keySet()) {
            if (!KNOWN.contains(String.valueOf(key))) {
                // A member this version does not know may restrict something it cannot apply: refuse, don't guess.
                throw new Unreadable("unknown member " + key);
            }
        }
        Object lifetime = carried.get("maxAccessTokenLifetime");
        if (lifetime != null && !(lifetime instanceof Number n && n.longValue() >= 0)) {
            throw new Unreadable("maxAccessTokenLifetime is not a number of seconds");
        }
        Object refresh = carried.get("refreshToken");
        if (refresh != null && !(refresh instanceof Boolean)) {
            throw new Unreadable("refreshToken is not a boolean");
        }
        return new Obligations(set(carried, "keepScopes"), set(carried, "keepAudiences"), set(carried, "keepRoles"),
                lifetime == null ? null : Duration.ofSeconds(((Number) lifetime).longValue()),
                !Boolean.FALSE.equals(refresh), null, Map.of());
    }

    /** Lifetimes of the refresh token itself and extra claims are per mint, not carried. */
    private static Obligations carried(Obligations o) {
        return new Obligations(o.keepScopes(), o.keepAudiences(), o.keepRoles(), o.maxAccessTokenLifetime(),
                o.refreshTokenAllowed(), null, Map.of());
    }

    private static void putIfSet(Map<String, Object> claim, String name, Set<String> values) {
        if (values != null) {
            claim.put(name, values);
        }
    }

    private static Set<String> set(Map<?, ?> carried, String name) {
        Object value = carried.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Collection<?> values)) {
            throw new Unreadable(name + " is not a list");
        }
        Set<String> set = new LinkedHashSet<>();
        for (Object v : values) {
            if (!(v instanceof String s)) {
                throw new Unreadable(name + " has a member that is not a string");
            }
            set.add(s);
        }
        return set;
    }
}
