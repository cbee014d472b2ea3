package io.mintgate.authorizer.keycloak.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyValidationException;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

/** The remembered component id is only a hint: renames, deletions and re-creations are seen on the next lookup. */
class StoredPoliciesTest {

    private static final String ONE_RULE = """
            {"rules": [{"name": "r1", "reason": "x", "deny": "client.publicClient"}]}""";
    private static final String TWO_RULES = """
            {"rules": [{"name": "r1", "reason": "x", "deny": "client.publicClient"},
                       {"name": "r2", "reason": "y", "deny": "false"}]}""";

    private final String realmId = "realm-" + UUID.randomUUID();
    private final Map<String, ComponentModel> components = new LinkedHashMap<>();
    private final RealmModel realm = fakeRealm();

    @Test
    void findsByNameAndSeesEditsRenamesDeletionsAndRecreations() throws Exception {
        ComponentModel stored = store("prod", ONE_RULE);
        assertEquals(1, StoredPolicies.compiled(realm, "prod").size());
        assertSame(StoredPolicies.compiled(realm, "prod"), StoredPolicies.compiled(realm, "prod"));

        stored.put(StoredPolicies.POLICY, TWO_RULES); // edited in place (same id)
        assertEquals(2, StoredPolicies.compiled(realm, "prod").size());

        stored.setName("renamed");
        assertThrows(PolicyValidationException.class, () -> StoredPolicies.compiled(realm, "prod"));
        assertEquals(2, StoredPolicies.compiled(realm, "renamed").size());

        store("prod", ONE_RULE); // a new component takes the old name
        assertEquals(1, StoredPolicies.compiled(realm, "prod").size());

        components.clear();
        assertThrows(PolicyValidationException.class, () -> StoredPolicies.compiled(realm, "prod"));
        assertThrows(PolicyValidationException.class, () -> StoredPolicies.compiled(realm, "renamed"));
    }

    @Test
    void aComponentOfAnotherTypeWithTheRememberedIdIsNotTaken() throws Exception {
        ComponentModel stored = store("prod", ONE_RULE);
        PolicySet first = StoredPolicies.compiled(realm, "prod");
        assertEquals(1, first.size());
        stored.setProviderType("org.keycloak.keys.KeyProvider");
        assertThrows(PolicyValidationException.class, () -> StoredPolicies.compiled(realm, "prod"));
    }

    private ComponentModel store(String name, String policy) {
        ComponentModel c = new ComponentModel();
        c.setId(UUID.randomUUID().toString());
        c.setName(name);
        c.setParentId(realmId);
        c.setProviderId("cel");
        c.setProviderType(IssuancePolicy.class.getName());
        c.put(StoredPolicies.POLICY, policy);
        components.put(c.getId(), c);
        return c;
    }

    /** Only what StoredPolicies reads of a realm; anything else fails the test. */
    private RealmModel fakeRealm() {
        return (RealmModel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {RealmModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> realmId;
                    case "getName" -> "test";
                    case "getComponent" -> components.get((String) args[0]);
                    case "getComponentsStream" -> components.values().stream()
                            .filter(c -> c.getParentId().equals(args[0]) && c.getProviderType().equals(args[1]));
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "fake realm " + realmId;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
