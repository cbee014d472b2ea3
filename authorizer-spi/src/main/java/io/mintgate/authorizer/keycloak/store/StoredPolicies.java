package io.mintgate.authorizer.keycloak.store;

import java.util.List;
import java.util.Optional;

import io.mintgate.authorizer.keycloak.CompileOnce;
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
     * The named policy of the realm, compiled. The realm's components come from Keycloak's realm cache, and the
     * cached text is the same String instance on every call, so the lookup costs a scan of the realm's stored
     * policies and a hash-map hit, not a parse.
     */
    public static PolicySet compiled(RealmModel realm, String name) throws PolicyValidationException {
        Optional<ComponentModel> stored = find(realm, name);
        if (stored.isEmpty()) {
            throw new PolicyValidationException(List.of(new PolicyProblem("policy-name", null, 0, 0,
                    "realm " + realm.getName() + " has no stored issuance policy named '" + name + "'")));
        }
        return compile(stored.get().get(POLICY));
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
