package io.mintgate.authorizer.keycloak.simulate;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code POST /admin/realms/{realm}/mintgate/simulate}: what the live path would decide for a hypothetical request,
 * optionally under a draft policy. Needs {@code view-realm} and {@code view-clients} (and {@code view-users} for a
 * subject): it reads the realm's client policies, the client and the user, and changes nothing.
 */
public final class SimulateResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;

    public SimulateResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> simulate(JsonNode body) {
        auth.realm().requireViewRealm();
        auth.clients().requireView();
        auth.users().requireView();
        return new Simulator(session, realm).simulate(body);
    }
}
