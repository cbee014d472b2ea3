package io.mintgate.authorizer.keycloak.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.mintgate.authorizer.keycloak.policies.CompileOnce;
import io.mintgate.authorizer.policy.PolicyProblem;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyValidationException;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

/** Finds a realm's stored issuance policy by name and returns it compiled (once per distinct text). */
public final class StoredPolicies {

    /** The component configuration key holding the policy document. */
    public static final String POLICY = "policy";

    private StoredPolicies() {
    }

    /**
     * Where each (realm id, policy name) was last found: the component id. Only a hint — every use checks that the
     * component still exists in the realm, is a stored policy and still has that name, so a rename, a deletion or an
     * edit on another node (which reaches this node as a realm-cache invalidation) is seen on the next request.
     */
    private static final Map<String, Map<String, String>> COMPONENT_IDS = new ConcurrentHashMap<>();
    private static final int MAX_REALMS = 1024;

    /**
     * The named policy of the realm, compiled. The component comes from Keycloak's realm cache (one map lookup by
     * the remembered id; a scan of the realm's stored policies only when the name is new or moved), and the cached
     * text is the same String instance on every call, so the whole lookup is two hash-map hits, not a parse.
     */
    public static PolicySet compiled(RealmModel realm, String name) throws PolicyValidationException {
        ComponentModel stored = remembered(realm, name);
        if (stored == null) {
            stored = find(realm, name).orElseThrow(() -> new PolicyValidationException(List.of(new PolicyProblem(
                    "policy-name", null, 0, 0,
                    "realm " + realm.getName() + " has no stored issuance policy named '" + name + "'"))));
            remember(realm, name, stored.getId());
        }
        return compile(stored.get(POLICY));
    }

    private static ComponentModel remembered(RealmModel realm, String name) {
        Map<String, String> ids = COMPONENT_IDS.get(realm.getId());
        String id = ids == null ? null : ids.get(name);
        if (id == null) {
            return null;
        }
        ComponentModel component = realm.getComponent(id);
        boolean current = component != null && name.equals(component.getName())
                && IssuancePolicy.class.getName().equals(component.getProviderType())
                && realm.getId().equals(component.getParentId());
        return current ? component : null;
    }

    private static void remember(RealmModel realm, String name, String componentId) {
        if (COMPONENT_IDS.size() >= MAX_REALMS) {
            COMPONENT_IDS.clear(); // bounded: a hint costs only a scan to rebuild
        }
        COMPONENT_IDS.computeIfAbsent(realm.getId(), id -> new ConcurrentHashMap<>()).put(name, componentId);
    }

    static Optional<ComponentModel> find(RealmModel realm, String name) {
        return realm.getComponentsStream(realm.getId(), IssuancePolicy.class.getName())
                .filter(component -> name.equals(component.getName()))
                .findFirst();
    }

    static PolicySet compile(String text) throws PolicyValidationException {
        return CompileOnce.policy(text);
    }
}
