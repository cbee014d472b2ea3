package io.mintgate.authorizer.keycloak;

import io.mintgate.authorizer.keycloak.decisions.RecentDecisionsResource;
import io.mintgate.authorizer.keycloak.lifecycle.OwnedIdentitiesResource;
import io.mintgate.authorizer.keycloak.replay.ReplayResource;
import io.mintgate.authorizer.keycloak.simulate.SimulateResource;
import io.mintgate.authorizer.keycloak.store.StoredPolicyVersionsResource;
import io.mintgate.authorizer.keycloak.surface.IssuanceSurfaceResource;
import jakarta.ws.rs.Path;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * The root of Mintgate's admin REST API, {@code /admin/realms/{realm}/mintgate}: one sub-resource per concern, each
 * checking the caller's admin roles itself.
 */
public final class MintgateAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    MintgateAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                          AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    @Path("policies")
    public StoredPolicyVersionsResource policies() {
        return new StoredPolicyVersionsResource(session, realm, auth, adminEvent);
    }

    @Path("simulate")
    public SimulateResource simulate() {
        return new SimulateResource(session, realm, auth);
    }

    @Path("replay")
    public ReplayResource replay() {
        return new ReplayResource(session, realm, auth);
    }

    @Path("surface")
    public IssuanceSurfaceResource surface() {
        return new IssuanceSurfaceResource(session, realm, auth);
    }

    @Path("decisions")
    public RecentDecisionsResource decisions() {
        return new RecentDecisionsResource(session, realm, auth);
    }

    @Path("owners")
    public OwnedIdentitiesResource owners() {
        return new OwnedIdentitiesResource(session, realm, auth);
    }
}
