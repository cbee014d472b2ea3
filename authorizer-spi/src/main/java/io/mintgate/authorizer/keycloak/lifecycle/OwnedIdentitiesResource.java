package io.mintgate.authorizer.keycloak.lifecycle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.keycloak.context.NhiAttributes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code GET /admin/realms/{realm}/mintgate/owners/{userId}}: the identities a user owns (clients whose
 * {@code mintgate.owner} is the user's id, found as the offboarding listener finds them) and what disabling or
 * deleting the user would do to them: whether their tokens and sessions are revoked (the realm's offboarding
 * setting), and that new tokens are then refused by a rule on {@code nhi.ownerEnabled}. Needs {@code view-users}
 * and {@code view-clients}.
 */
public final class OwnedIdentitiesResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;

    public OwnedIdentitiesResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
    }

    @GET
    @Path("{userId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> owned(@PathParam("userId") String userId) {
        auth.users().requireView();
        auth.clients().requireView();
        UserModel user = session.users().getUserById(realm, userId);
        if (user == null) {
            throw new NotFoundException("realm " + realm.getName() + " has no user with id " + userId);
        }
        List<Map<String, Object>> identities = OwnerRevocation.ownedBy(session, realm, user.getId()).stream()
                .map(OwnedIdentitiesResource::describe).toList();
        boolean revokes = revokesOnOffboarding();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", Map.of("id", user.getId(), "username", user.getUsername(), "enabled", user.isEnabled()));
        m.put("identities", identities);
        m.put("revokeOnDisable", revokes);
        m.put("onDisable", identities.isEmpty()
                ? "The user owns no identity: disabling or deleting them changes no identity's tokens."
                : (revokes
                    ? "Disabling or deleting this user revokes the tokens, sessions and offline tokens already issued to"
                        + " these " + identities.size() + " identities (their not-before moves to now)."
                    : "Tokens already issued to these " + identities.size() + " identities stay valid until they expire"
                        + " (owner offboarding revocation is off for this realm).")
                  + " New tokens for them are refused by every policy rule that requires nhi.ownerEnabled (the"
                  + " documented owner rule, reason owner_inactive) until the user is enabled again or the"
                  + " identities get a new owner; GET .../disable-impact evaluates each identity's grant.");
        return m;
    }

    /**
     * {@code GET .../mintgate/owners/{userId}/disable-impact}: for each identity the user owns, what the live path
     * would decide once the user is disabled (the simulator's decision with {@code nhi.ownerEnabled} false, next to
     * today's), and the sessions the offboarding revocation would take back. Needs {@code view-realm},
     * {@code view-clients} and {@code view-users}, like the simulator; changes nothing.
     */
    @GET
    @Path("{userId}/disable-impact")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> disableImpact(@PathParam("userId") String userId) {
        auth.realm().requireViewRealm();
        auth.users().requireView();
        auth.clients().requireView();
        UserModel user = session.users().getUserById(realm, userId);
        if (user == null) {
            throw new NotFoundException("realm " + realm.getName() + " has no user with id " + userId);
        }
        return new DisableImpact(session, realm).of(user, OwnerRevocation.ownedBy(session, realm, user.getId()),
                revokesOnOffboarding());
    }

    private boolean revokesOnOffboarding() {
        Object factory = session.getKeycloakSessionFactory()
                .getProviderFactory(EventListenerProvider.class, OwnerOffboardingListenerFactory.PROVIDER_ID);
        return factory instanceof OwnerOffboardingListenerFactory listener && listener.enabledFor(realm);
    }

    private static Map<String, Object> describe(ClientModel client) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", client.getId());
        m.put("clientId", client.getClientId());
        m.put("enabled", client.isEnabled());
        m.put("serviceAccount", client.isServiceAccountsEnabled());
        String purpose = client.getAttribute(NhiAttributes.PURPOSE);
        if (purpose != null) {
            m.put("purpose", purpose);
        }
        String expiresAt = client.getAttribute(NhiAttributes.EXPIRES_AT);
        if (expiresAt != null) {
            m.put("expiresAt", expiresAt);
        }
        return m;
    }
}
