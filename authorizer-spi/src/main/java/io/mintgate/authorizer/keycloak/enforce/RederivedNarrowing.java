package io.mintgate.authorizer.keycloak.enforce;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.mintgate.authorizer.keycloak.context.ScopeStrings;
import io.mintgate.authorizer.policy.Obligations;
import org.keycloak.representations.AccessToken;

/**
 * Narrows what Keycloak re-derives for an issued access token — the introspection answer, the userinfo claims — to
 * that token. Keycloak rebuilds both from the client's mappers, scopes and the user's role mappings as they are now,
 * so they would show the audiences, roles and scopes that narrowing removed at mint. The issued token is the truth:
 * what it carries ({@link CarriedObligations}) is applied again, and where it has claims of its own (a JWT access
 * token; a lightweight one has none to compare with) nothing beyond them survives.
 */
final class RederivedNarrowing {

    private RederivedNarrowing() {
    }

    /**
     * @param issued          the verified access token as issued
     * @param rederived       what Keycloak rebuilt for it; changed in place
     * @param carried         what {@code issued} carries; not {@link Obligations#isEmpty() empty}
     * @param issuedHasClaims false for a lightweight access token, whose absent {@code aud} and roles mean nothing
     */
    static void narrow(AccessToken issued, AccessToken rederived, Obligations carried, boolean issuedHasClaims) {
        List<String> removed = new ArrayList<>();
        if (carried.keepScopes() != null && rederived.getScope() != null) {
            rederived.setScope(Narrowing.keepScopes(rederived.getScope(), carried.keepScopes(), removed));
        }
        if (carried.keepAudiences() != null) {
            Narrowing.keepAudiences(rederived, carried.keepAudiences(), removed);
        }
        if (carried.keepRoles() != null) {
            Narrowing.keepRoles(rederived, carried.keepRoles(), removed);
        }
        if (issuedHasClaims) {
            if (rederived.getScope() != null) {
                rederived.setScope(Narrowing.keepScopes(rederived.getScope(),
                        Set.copyOf(ScopeStrings.split(issued.getScope() == null ? "" : issued.getScope())), removed));
            }
            Narrowing.keepAudiences(rederived, issued.getAudience() == null ? Set.of() : Set.of(issued.getAudience()), removed);
            keepIssuedRoles(issued, rederived);
        }
        if (rederived.getAudience() != null && rederived.getAudience().length == 0) {
            rederived.audience((String[]) null); // no "aud": [] in an answer
        }
    }

    /** An introspection answer describes a token that ends when the issued one does. */
    static void expireWith(AccessToken issued, AccessToken rederived) {
        if (issued.getExp() != null && issued.getExp() != 0
                && (rederived.getExp() == null || rederived.getExp() == 0 || rederived.getExp() > issued.getExp())) {
            rederived.exp(issued.getExp());
        }
    }

    /** Realm roles and each client's roles: only those the issued token has. */
    private static void keepIssuedRoles(AccessToken issued, AccessToken rederived) {
        if (rederived.getRealmAccess() != null && rederived.getRealmAccess().getRoles() != null) {
            Set<String> issuedRoles = issued.getRealmAccess() == null || issued.getRealmAccess().getRoles() == null
                    ? Set.of() : issued.getRealmAccess().getRoles();
            rederived.getRealmAccess().getRoles().retainAll(issuedRoles);
            if (rederived.getRealmAccess().getRoles().isEmpty()) {
                rederived.setRealmAccess(null);
            }
        }
        if (rederived.getResourceAccess() != null) {
            for (Map.Entry<String, AccessToken.Access> entry : List.copyOf(rederived.getResourceAccess().entrySet())) {
                AccessToken.Access issuedAccess = issued.getResourceAccess() == null ? null
                        : issued.getResourceAccess().get(entry.getKey());
                Set<String> roles = entry.getValue().getRoles();
                if (roles != null) {
                    roles.retainAll(issuedAccess == null || issuedAccess.getRoles() == null ? Set.of() : issuedAccess.getRoles());
                }
                if (roles == null || roles.isEmpty()) {
                    rederived.getResourceAccess().remove(entry.getKey());
                }
            }
        }
    }
}
