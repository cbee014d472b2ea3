package io.mintgate.authorizer.keycloak;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyValidationException;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;

/** The {@code issuance-authorizer} executor's stored configuration: one policy document (JSON). */
public class IssuanceAuthorizerConfiguration extends ClientPolicyExecutorConfigurationRepresentation {

    public static final String POLICY = "policy";

    @JsonProperty(POLICY)
    private String policy;

    public String getPolicy() {
        return policy;
    }

    public void setPolicy(String policy) {
        this.policy = policy;
    }

    /** The compiled policy; a stored policy that no longer compiles is reported by the executor as a denial. */
    @JsonIgnore
    PolicySet compiled() throws PolicyValidationException {
        return CompileOnce.policy(policy);
    }

    /**
     * Called by Keycloak when a profile is saved or imported. Keycloak's contract is a bare boolean, which would
     * reach the admin as "invalid configuration" with no hint; instead the compiler's problems (field, rule,
     * line, column) travel in a ClientPolicyException, which the admin REST API returns as the 400 body.
     */
    @Override
    public boolean validateConfig() {
        try {
            compiled();
            return true;
        } catch (PolicyValidationException e) {
            throw Sneaky.<RuntimeException>rethrow(new ClientPolicyException(
                    "Invalid issuance-authorizer policy: " + e.getMessage()));
        }
    }
}
