package io.mintgate.authorizer.keycloak.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.policy.versions.LineDiff;
import io.mintgate.authorizer.policy.versions.PolicyHistory;
import io.mintgate.authorizer.policy.versions.PolicyVersion;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.ModelException;
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
 * versioned like any save), and a save that answers each problem with its place in the document and each test's
 * result. Reading needs {@code view-realm}, saving and rolling back {@code manage-realm}.
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

    /**
     * Creates or replaces the text of the stored policy {@code name}: {@code {"policy": "<document>"}}. A text that
     * does not compile or whose tests fail is a 400 listing every problem with its field, rule, the expression's
     * line and column and the document's ({@code documentLine}, {@code documentColumn}), and every test result;
     * nothing is saved. Saved through the realm's component update, so the component's own validation runs too.
     */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response save(@PathParam("name") String name, Map<String, Object> body) {
        auth.realm().requireManageRealm();
        Object policy = body == null ? null : body.get("policy");
        if (!(policy instanceof String text) || text.isBlank()) {
            return badRequest(List.of(PolicySave.problem("policy", "the policy document (a JSON string) is required")));
        }
        if (name.isBlank()) {
            return badRequest(List.of(PolicySave.problem("name", "a stored policy needs a name")));
        }
        PolicySave check = PolicySave.check(text);
        if (!check.valid()) {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                    .entity(check.refusal()).build();
        }
        ComponentModel existing = StoredPolicies.find(realm, name).orElse(null);
        ComponentModel saved;
        try {
            if (existing == null) {
                ComponentModel created = new ComponentModel();
                created.setName(name);
                created.setParentId(realm.getId());
                created.setProviderId(CelPolicyComponentFactory.PROVIDER_ID);
                created.setProviderType(IssuancePolicy.class.getName());
                created.getConfig().putSingle(StoredPolicies.POLICY, text);
                saved = realm.addComponentModel(created);
            } else {
                ComponentModel updated = new ComponentModel(existing);
                updated.getConfig().putSingle(StoredPolicies.POLICY, text);
                realm.updateComponent(updated);
                saved = realm.getComponent(existing.getId());
            }
        } catch (ComponentValidationException | ModelException refused) {
            return badRequest(List.of(PolicySave.problem("policy", refused.getMessage())));
        }
        adminEvent.operation(existing == null ? OperationType.CREATE : OperationType.UPDATE)
                .resourcePath("components", saved.getId())
                .representation(ModelToRepresentation.toRepresentation(session, saved, false)).success();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("id", saved.getId());
        m.put("created", existing == null);
        m.put("version", current(saved, PolicyVersions.of(saved)));
        m.put("tests", check.testResults());
        return Response.status(existing == null ? Response.Status.CREATED : Response.Status.OK)
                .type(MediaType.APPLICATION_JSON).entity(m).build();
    }

    /** The current text of {@code name}, for an editor: {@code {"name", "version", "policy"}}. */
    @GET
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> text(@PathParam("name") String name) {
        auth.realm().requireViewRealm();
        ComponentModel policy = policy(name);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("id", policy.getId());
        m.put("version", current(policy, PolicyVersions.of(policy)));
        m.put("policy", policy.get(StoredPolicies.POLICY));
        return m;
    }

    private static Response badRequest(List<Map<String, Object>> problems) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", "invalid_policy");
        m.put("errorMessage", PolicyRefusal.PREFIX + problems.stream().map(p -> (String) p.get("text"))
                .collect(java.util.stream.Collectors.joining("\n")));
        m.put("problems", problems);
        m.put("tests", List.of());
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON).entity(m).build();
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
