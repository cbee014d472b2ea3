package io.mintgate.authorizer.keycloak.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.policy.versions.LineDiff;
import io.mintgate.authorizer.policy.versions.PolicyHistory;
import io.mintgate.authorizer.policy.versions.PolicyVersion;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.keycloak.component.ComponentModel;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.ModelToRepresentation;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/mintgate/policies}: the realm's stored policies and every saved version of each, a
 * diff between two versions, and a roll back (which saves the old text again, so it is validated, tested and
 * versioned like any save). Reading needs {@code view-realm}, rolling back {@code manage-realm}.
 */
public final class StoredPolicyVersionsResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    public StoredPolicyVersionsResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                                        AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ResourceType.COMPONENT);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> policies() {
        auth.realm().requireViewRealm();
        List<Map<String, Object>> out = new ArrayList<>();
        realm.getComponentsStream(realm.getId(), IssuancePolicy.class.getName()).forEach(c -> {
            PolicyHistory history = PolicyVersions.of(c);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.getName());
            m.put("id", c.getId());
            m.put("version", current(c, history));
            m.put("versions", history.versions().size());
            out.add(m);
        });
        return out;
    }

    @GET
    @Path("{name}/versions")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> versions(@PathParam("name") String name) {
        auth.realm().requireViewRealm();
        ComponentModel policy = policy(name);
        PolicyHistory history = PolicyVersions.of(policy);
        String current = current(policy, history);
        List<Map<String, Object>> out = new ArrayList<>();
        List<PolicyVersion> versions = history.versions();
        for (int i = versions.size() - 1; i >= 0; i--) {
            Map<String, Object> m = describe(versions.get(i));
            m.put("current", i == versions.size() - 1 && versions.get(i).version().equals(current));
            out.add(m);
        }
        return out;
    }

    @GET
    @Path("{name}/versions/{version}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> version(@PathParam("name") String name, @PathParam("version") String version) {
        auth.realm().requireViewRealm();
        PolicyVersion v = find(policy(name), version);
        Map<String, Object> m = describe(v);
        m.put("policy", v.policy());
        return m;
    }

    /** {@code ?from=<version>&to=<version>}; {@code to} defaults to the current text. */
    @GET
    @Path("{name}/diff")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> diff(@PathParam("name") String name, @QueryParam("from") String from,
                                    @QueryParam("to") String to) {
        auth.realm().requireViewRealm();
        ComponentModel policy = policy(name);
        if (from == null) {
            throw new jakarta.ws.rs.BadRequestException("from: the version to compare from is required");
        }
        PolicyVersion a = find(policy, from);
        String toText = to == null ? policy.get(StoredPolicies.POLICY) : find(policy, to).policy();
        String toName = to == null ? "current" : to;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", a.version());
        m.put("to", to == null ? current(policy, PolicyVersions.of(policy)) : to);
        m.put("diff", LineDiff.unified(a.policy(), toText, name + "@" + a.version(), name + "@" + toName));
        return m;
    }

    /** Saves the text of {@code version} again: the realm's normal update, so validation and the tests run. */
    @POST
    @Path("{name}/versions/{version}/rollback")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> rollback(@PathParam("name") String name, @PathParam("version") String version) {
        auth.realm().requireManageRealm();
        ComponentModel policy = policy(name);
        PolicyVersion target = find(policy, version);
        ComponentModel updated = new ComponentModel(policy);
        updated.getConfig().putSingle(StoredPolicies.POLICY, target.policy());
        realm.updateComponent(updated);
        ComponentModel saved = realm.getComponent(policy.getId());
        // The same admin event as an update through the components API, so the console and the trail show it.
        adminEvent.operation(OperationType.UPDATE).resourcePath("components", saved.getId())
                .representation(ModelToRepresentation.toRepresentation(session, saved, false)).success();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("version", current(saved, PolicyVersions.of(saved)));
        m.put("rolledBackTo", target.version());
        return m;
    }

    private ComponentModel policy(String name) {
        return StoredPolicies.find(realm, name).orElseThrow(() -> new NotFoundException(
                "realm " + realm.getName() + " has no stored issuance policy named '" + name + "'"));
    }

    private static PolicyVersion find(ComponentModel policy, String version) {
        return PolicyVersions.of(policy).find(version).orElseThrow(() -> new NotFoundException(
                "stored policy '" + policy.getName() + "' has no saved version " + version));
    }

    /** The hash decisions name for the stored text now; the history's newest entry after every save. */
    private static String current(ComponentModel policy, PolicyHistory history) {
        List<PolicyVersion> versions = history.versions();
        String text = policy.get(StoredPolicies.POLICY);
        if (!versions.isEmpty() && versions.get(versions.size() - 1).policy().equals(text)) {
            return versions.get(versions.size() - 1).version();
        }
        try {
            return StoredPolicies.compile(text).version();
        } catch (io.mintgate.authorizer.policy.PolicyValidationException e) {
            return null;
        }
    }

    private static Map<String, Object> describe(PolicyVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", v.version());
        m.put("savedAt", v.savedAt().toString());
        m.put("savedBy", v.savedBy());
        m.put("client", v.client());
        return m;
    }
}
