package io.mintgate.authorizer.policy;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Accumulates the obligations of one decision in place, with the same semantics as chaining
 * {@link Obligations#intersect}: sets intersect keeping the first set's order, lifetimes take the minimum,
 * refresh is ANDed, claims merge with the later rule winning. One {@link Obligations} is built at the end,
 * instead of one (with copies of every set) per rule. Not thread-safe: one per evaluation.
 */
final class ObligationsAccumulator {

    private LinkedHashSet<String> keepScopes;
    private LinkedHashSet<String> keepAudiences;
    private LinkedHashSet<String> keepRoles;
    private Duration maxAccessTokenLifetime;
    private boolean refreshTokenAllowed = true;
    private Duration maxRefreshTokenLifetime;
    private LinkedHashMap<String, Object> claims;
    private AuthorizationDetailLimits authorizationDetails;

    /** Narrows the {@code authorization_details} limits by one rule's (null = no restriction). */
    void limitAuthorizationDetails(AuthorizationDetailLimits limits) {
        authorizationDetails = AuthorizationDetailLimits.intersect(authorizationDetails, limits);
    }

    /**
     * Narrows by one rule's (already fully evaluated) obligations; {@code null} means "no restriction". A
     * {@code LinkedHashMap} of claims is taken over, not copied: the caller built it for this call only.
     */
    void add(Collection<String> scopes, Collection<String> audiences, Collection<String> roles, Duration maxAccess,
             boolean refresh, Duration maxRefresh, Map<String, Object> ruleClaims) {
        keepScopes = intersect(keepScopes, scopes);
        keepAudiences = intersect(keepAudiences, audiences);
        keepRoles = intersect(keepRoles, roles);
        maxAccessTokenLifetime = min(maxAccessTokenLifetime, maxAccess);
        refreshTokenAllowed = refreshTokenAllowed && refresh;
        maxRefreshTokenLifetime = min(maxRefreshTokenLifetime, maxRefresh);
        if (ruleClaims != null && !ruleClaims.isEmpty()) {
            if (claims == null && ruleClaims instanceof LinkedHashMap<String, Object> owned) {
                claims = owned;
            } else {
                if (claims == null) {
                    claims = new LinkedHashMap<>();
                }
                claims.putAll(ruleClaims);
            }
        }
    }

    Obligations build() {
        Obligations result = new Obligations(frozen(keepScopes), frozen(keepAudiences), frozen(keepRoles),
                maxAccessTokenLifetime, refreshTokenAllowed, maxRefreshTokenLifetime,
                claims == null ? null : new FrozenMap<>(claims), authorizationDetails);
        return result.isEmpty() ? Obligations.NONE : result;
    }

    private static FrozenSet<String> frozen(LinkedHashSet<String> set) {
        return set == null ? null : new FrozenSet<>(set);
    }

    private static LinkedHashSet<String> intersect(LinkedHashSet<String> current, Collection<String> next) {
        if (next == null) {
            return current;
        }
        if (current == null) {
            return new LinkedHashSet<>(next);
        }
        current.retainAll(next);
        return current;
    }

    private static Duration min(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }
}
