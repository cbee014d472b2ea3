package io.mintgate.authorizer.keycloak.store;

import java.time.Instant;
import java.util.List;

import io.mintgate.authorizer.policy.versions.PolicyHistory;
import io.mintgate.authorizer.policy.versions.PolicyVersion;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;

/**
 * Keeps every saved text of a stored policy in the policy's own component, under {@link #HISTORY}: so versions
 * travel with the realm (export, import, every node of a cluster) and need no table of their own. The history is
 * append-only: an update through the components API cannot rewrite it (the stored one is kept and the new text
 * appended); a new component may bring one (a realm import of an export).
 */
public final class PolicyVersions {

    /** The component configuration key of the history: one JSON string per version, oldest first. */
    public static final String HISTORY = "history";

    private PolicyVersions() {
    }

    /** Called when {@code model} is about to be stored with a text that compiled to {@code version}. */
    static void record(KeycloakSession session, RealmModel realm, ComponentModel model, String version) {
        ComponentModel stored = model.getId() == null ? null : realm.getComponent(model.getId());
        List<String> kept = stored != null ? stored.getConfig().get(HISTORY) : model.getConfig().get(HISTORY);
        AccessToken admin = session.getContext().getBearerToken() instanceof AccessToken token ? token : null;
        PolicyHistory history = PolicyHistory.parse(kept).append(new PolicyVersion(version, Instant.now(),
                admin == null ? null : admin.getSubject(), admin == null ? null : admin.getIssuedFor(),
                model.get(StoredPolicies.POLICY)));
        model.getConfig().put(HISTORY, history.serialized());
    }

    static PolicyHistory of(ComponentModel component) {
        return PolicyHistory.parse(component.getConfig().get(HISTORY));
    }
}
