package io.mintgate.authorizer.keycloak.enforce;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.mintgate.authorizer.keycloak.policies.CompileOnce;
import io.mintgate.authorizer.keycloak.store.StoredPolicies;
import io.mintgate.authorizer.policy.PolicyProblem;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyTests;
import io.mintgate.authorizer.policy.PolicyValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.utils.KeycloakSessionUtil;

/**
 * The {@code issuance-authorizer} executor's stored configuration: a policy document (JSON) inline, or the name of a
 * policy stored once in the realm ({@link StoredPolicies}), which keeps the document out of the client-profile JSON
 * that Keycloak re-parses on every client-policy event.
 */
public class IssuanceAuthorizerConfiguration extends ClientPolicyExecutorConfigurationRepresentation {

    public static final String POLICY = "policy";
    public static final String POLICY_NAME = "policy-name";

    @JsonProperty(POLICY)
    private String policy;

    @JsonProperty(POLICY_NAME)
    private String policyName;

    public String getPolicy() {
        return policy;
    }

    public void setPolicy(String policy) {
        this.policy = policy;
    }

    public String getPolicyName() {
        return policyName;
    }

    public void setPolicyName(String policyName) {
        this.policyName = policyName;
    }

    /**
     * The compiled policy of the realm the request is in; a policy that no longer compiles, or a stored policy that
     * no longer exists, is reported by the executor as a denial.
     */
    @JsonIgnore
    public PolicySet compiled(RealmModel realm) throws PolicyValidationException {
        return compiled(realm, policy, policyName);
    }

    /** Also used where only the raw configuration is at hand (the post-processor reading the realm's profiles). */
    public static PolicySet compiled(RealmModel realm, String policy, String policyName) throws PolicyValidationException {
        if (policyName == null || policyName.isBlank()) {
            return CompileOnce.policy(policy);
        }
        if (CompileOnce.policy(policy).size() > 0) {
            throw new PolicyValidationException(List.of(new PolicyProblem(POLICY_NAME, null, 0, 0,
                    "set either an inline policy or the name of a stored policy, not both")));
        }
        if (realm == null) {
            throw new PolicyValidationException(List.of(new PolicyProblem(POLICY_NAME, null, 0, 0,
                    "no realm to look up stored policy '" + policyName + "' in")));
        }
        return StoredPolicies.compiled(realm, policyName.trim());
    }

    /**
     * Called by Keycloak when a profile is saved or imported. Keycloak's contract is a bare boolean, which would
     * reach the admin as "invalid configuration" with no hint; instead the compiler's problems (field, rule,
     * line, column) travel in a ClientPolicyException, which the admin REST API returns as the 400 body.
     */
    @Override
    public boolean validateConfig() {
        try {
            KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
            RealmModel realm = session == null ? null : session.getContext().getRealm();
            if (realm == null && policyName != null && !policyName.isBlank()) {
                // No realm in context (not seen in Keycloak 26.7.3's admin API or import): the name is checked when
                // a token is requested, failing closed.
                CompileOnce.policy(policy);
                return true;
            }
            PolicySet compiled = compiled(realm);
            if (policyName == null || policyName.isBlank()) {
                // A stored policy's tests ran when it was saved.
                PolicyTests.verify(policy, compiled);
            }
            return true;
        } catch (PolicyValidationException e) {
            throw Sneaky.<RuntimeException>rethrow(new ClientPolicyException(
                    "Invalid issuance-authorizer policy: " + e.getMessage()));
        }
    }
}
