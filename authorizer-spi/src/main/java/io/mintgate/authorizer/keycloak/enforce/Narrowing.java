package io.mintgate.authorizer.keycloak.enforce;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.mintgate.authorizer.keycloak.context.ScopeStrings;
import io.mintgate.authorizer.policy.Obligations;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.RefreshToken;

/**
 * Applies an allow's obligations to the tokens Keycloak has built and not yet signed: scopes, audiences and roles
 * are only ever removed, lifetimes only shortened. The refresh token's scope is narrowed too, so a refresh can never
 * yield a broader token, and the response's {@code scope} is aligned with the token's. Returns what was removed, for
 * the audit trail ({@code mintgate_narrowed}); empty when nothing changed.
 */
public final class Narrowing {

    private static final Logger LOG = Logger.getLogger(Narrowing.class);
    private static final Field SCOPE_STRING = scopeStringField();

    private Narrowing() {
    }

    public static String apply(KeycloakSession session, Obligations obligations, AccessToken access, RefreshToken refresh,
                        ClientSessionContext clientSessionCtx) {
        if (obligations == null || obligations.isEmpty() || access == null) {
            return "";
        }
        List<String> removed = new ArrayList<>();
        if (obligations.keepScopes() != null) {
            String narrowed = keepScopes(access.getScope(), obligations.keepScopes(), removed);
            access.setScope(narrowed);
            if (refresh != null) {
                refresh.setScope(keepScopes(refresh.getScope(), obligations.keepScopes(), new ArrayList<>()));
            }
            alignResponseScope(clientSessionCtx == null
                    ? session.getAttribute(ClientSessionContext.class.getName(), ClientSessionContext.class)
                    : clientSessionCtx, narrowed);
        }
        if (obligations.keepAudiences() != null) {
            keepAudiences(access, obligations.keepAudiences(), removed);
        }
        if (obligations.keepRoles() != null) {
            keepRoles(access, obligations.keepRoles(), removed);
        }
        if (obligations.maxAccessTokenLifetime() != null) {
            capLifetime(access, obligations.maxAccessTokenLifetime().toSeconds(), removed);
        }
        if (refresh != null && obligations.maxRefreshTokenLifetime() != null) {
            long cap = issuedAt(refresh) + obligations.maxRefreshTokenLifetime().toSeconds();
            if (refresh.getExp() == null || refresh.getExp() == 0 || refresh.getExp() > cap) {
                refresh.exp(cap);
                removed.add("refresh_exp:" + obligations.maxRefreshTokenLifetime().toSeconds() + "s");
            }
        }
        for (Map.Entry<String, Object> claim : obligations.claims().entrySet()) {
            access.setOtherClaims(claim.getKey(), claim.getValue());
        }
        // Both tokens say what they were narrowed to: the refresh token for the next refresh, the access token for
        // whatever re-derives it (introspection, userinfo, a token exchange with it as the subject token).
        CarriedObligations.carry(access, obligations);
        if (refresh != null) {
            CarriedObligations.carry(refresh, obligations);
        }
        return String.join(";", removed);
    }

    static void keepAudiences(AccessToken access, Set<String> keep, List<String> removed) {
        if (access.getAudience() == null) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String audience : access.getAudience()) {
            if (keep.contains(audience)) {
                kept.add(audience);
            } else {
                removed.add("aud:-" + audience);
            }
        }
        access.audience(kept.toArray(String[]::new));
    }

    /** Caps {@code exp} at {@code iat + seconds}; a token without {@code exp} gets one. */
    static void capLifetime(AccessToken access, long seconds, List<String> removed) {
        long cap = issuedAt(access) + seconds;
        if (access.getExp() == null || access.getExp() == 0 || access.getExp() > cap) {
            access.exp(cap);
            removed.add("exp:" + seconds + "s");
        }
    }

    static String keepScopes(String scope, Set<String> keep, List<String> removed) {
        if (scope == null || scope.isBlank()) {
            return scope;
        }
        Set<String> kept = new LinkedHashSet<>();
        for (String s : ScopeStrings.split(scope)) {
            if (Obligations.keepsScope(keep, s)) {
                kept.add(s);
            } else {
                removed.add("scope:-" + s);
            }
        }
        return String.join(" ", kept);
    }

    /** Role entries are realm role names, or {@code clientId:role} / a bare role name for client roles. */
    static void keepRoles(AccessToken access, Set<String> keep, List<String> removed) {
        if (access.getRealmAccess() != null && access.getRealmAccess().getRoles() != null) {
            for (String role : List.copyOf(access.getRealmAccess().getRoles())) {
                if (!keep.contains(role)) {
                    access.getRealmAccess().getRoles().remove(role);
                    removed.add("role:-" + role);
                }
            }
        }
        if (access.getResourceAccess() != null) {
            for (Map.Entry<String, AccessToken.Access> entry : List.copyOf(access.getResourceAccess().entrySet())) {
                Set<String> roles = entry.getValue().getRoles();
                if (roles == null) {
                    continue;
                }
                for (String role : List.copyOf(roles)) {
                    if (!keep.contains(role) && !keep.contains(entry.getKey() + ":" + role)) {
                        roles.remove(role);
                        removed.add("role:-" + entry.getKey() + ":" + role);
                    }
                }
                if (roles.isEmpty()) {
                    access.getResourceAccess().remove(entry.getKey());
                }
            }
        }
    }

    private static long issuedAt(org.keycloak.representations.JsonWebToken token) {
        return token.getIat() == null || token.getIat() == 0 ? Time.currentTime() : token.getIat();
    }

    /**
     * Keycloak writes the response's {@code scope} from the client session context's scope string, computed once
     * and cached; it has no setter. Overriding the cache keeps "response scope = token scope" (RFC 6749 §5.1) true.
     */
    private static void alignResponseScope(ClientSessionContext context, String scope) {
        if (context == null || SCOPE_STRING == null || !SCOPE_STRING.getDeclaringClass().isInstance(context)) {
            return;
        }
        try {
            SCOPE_STRING.set(context, scope);
        } catch (IllegalAccessException e) {
            LOG.warnf("cannot align the token response scope with the narrowed token: %s", e.getMessage());
        }
    }

    private static Field scopeStringField() {
        try {
            Field field = Class.forName("org.keycloak.services.util.DefaultClientSessionContext").getDeclaredField("scopeString");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Keycloak's client session context has changed (%s): the token response 'scope' will not reflect "
                    + "narrowing; the tokens themselves are still narrowed", e);
            return null;
        }
    }
}
