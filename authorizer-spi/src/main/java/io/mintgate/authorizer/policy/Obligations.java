package io.mintgate.authorizer.policy;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How an allowed token must be narrowed. A {@code null} set or lifetime means "no restriction".
 * Combining obligations always narrows: sets intersect, lifetimes take the minimum, refresh is ANDed,
 * claims merge with the later (argument) side winning on conflicting keys, {@code authorization_details} limits
 * intersect part by part.
 */
public record Obligations(Set<String> keepScopes, Set<String> keepAudiences, Set<String> keepRoles,
                          Duration maxAccessTokenLifetime, boolean refreshTokenAllowed,
                          Duration maxRefreshTokenLifetime, Map<String, Object> claims,
                          AuthorizationDetailLimits authorizationDetails) {

    public static final Obligations NONE = new Obligations(null, null, null, null, true, null, Map.of(), null);

    /** Obligations without {@code authorization_details} limits. */
    public Obligations(Set<String> keepScopes, Set<String> keepAudiences, Set<String> keepRoles,
                       Duration maxAccessTokenLifetime, boolean refreshTokenAllowed,
                       Duration maxRefreshTokenLifetime, Map<String, Object> claims) {
        this(keepScopes, keepAudiences, keepRoles, maxAccessTokenLifetime, refreshTokenAllowed, maxRefreshTokenLifetime,
                claims, null);
    }

    public Obligations {
        keepScopes = readOnly(keepScopes);
        keepAudiences = readOnly(keepAudiences);
        keepRoles = readOnly(keepRoles);
        claims = claims == null || claims.isEmpty() ? Map.of()
                : claims instanceof FrozenMap ? claims : Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    }

    /** The narrowest combination of this and {@code other}; on conflicting claim keys {@code other} wins. */
    public Obligations intersect(Obligations other) {
        if (other == null || other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Map<String, Object> merged = new LinkedHashMap<>(claims);
        merged.putAll(other.claims);
        return new Obligations(
                intersect(keepScopes, other.keepScopes),
                intersect(keepAudiences, other.keepAudiences),
                intersect(keepRoles, other.keepRoles),
                min(maxAccessTokenLifetime, other.maxAccessTokenLifetime),
                refreshTokenAllowed && other.refreshTokenAllowed,
                min(maxRefreshTokenLifetime, other.maxRefreshTokenLifetime),
                merged,
                AuthorizationDetailLimits.intersect(authorizationDetails, other.authorizationDetails));
    }

    /**
     * Whether {@code keepScopes} (null = unrestricted) lets {@code scope} stay. {@code openid} always stays: it marks
     * an OIDC request, not a grant of access, and narrowing it away would break ID tokens.
     */
    public static boolean keepsScope(Set<String> keepScopes, String scope) {
        return keepScopes == null || keepScopes.contains(scope) || "openid".equals(scope);
    }

    /** True when applying these obligations would change nothing. */
    public boolean isEmpty() {
        return keepScopes == null && keepAudiences == null && keepRoles == null
                && maxAccessTokenLifetime == null && refreshTokenAllowed
                && maxRefreshTokenLifetime == null && claims.isEmpty() && authorizationDetails == null;
    }

    /** A read-only copy, except for sets the engine built for this purpose ({@link FrozenSet}), kept as they are. */
    private static Set<String> readOnly(Set<String> set) {
        if (set == null || set instanceof FrozenSet) {
            return set;
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(set));
    }

    /** Two optional limits as one: null is "no limit", so the other side stands; else the common values. */
    static Set<String> intersect(Set<String> a, Set<String> b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        Set<String> out = new LinkedHashSet<>(a);
        out.retainAll(b);
        return out;
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

    /** Obligations by name: what is not set stays unrestricted (refresh tokens allowed). */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds one {@link Obligations} without positional nulls. */
    public static final class Builder {
        private Set<String> keepScopes;
        private Set<String> keepAudiences;
        private Set<String> keepRoles;
        private Duration maxAccessTokenLifetime;
        private boolean refreshTokenAllowed = true;
        private Duration maxRefreshTokenLifetime;
        private Map<String, Object> claims = Map.of();
        private AuthorizationDetailLimits authorizationDetails;

        private Builder() {
        }

        public Builder keepScopes(Set<String> scopes) {
            keepScopes = scopes;
            return this;
        }

        public Builder keepAudiences(Set<String> audiences) {
            keepAudiences = audiences;
            return this;
        }

        public Builder keepRoles(Set<String> roles) {
            keepRoles = roles;
            return this;
        }

        public Builder maxAccessTokenLifetime(Duration lifetime) {
            maxAccessTokenLifetime = lifetime;
            return this;
        }

        public Builder refreshTokenAllowed(boolean allowed) {
            refreshTokenAllowed = allowed;
            return this;
        }

        public Builder maxRefreshTokenLifetime(Duration lifetime) {
            maxRefreshTokenLifetime = lifetime;
            return this;
        }

        public Builder claims(Map<String, Object> added) {
            claims = added;
            return this;
        }

        public Builder authorizationDetails(AuthorizationDetailLimits limits) {
            authorizationDetails = limits;
            return this;
        }

        public Obligations build() {
            return new Obligations(keepScopes, keepAudiences, keepRoles, maxAccessTokenLifetime, refreshTokenAllowed,
                    maxRefreshTokenLifetime, claims, authorizationDetails);
        }
    }
}
