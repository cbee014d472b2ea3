package io.mintgate.authorizer.keycloak.context;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.keycloak.representations.idm.ClientPolicyConditionConfigurationRepresentation;

/** The {@code issuance-context} condition's stored configuration. */
public class IssuanceContextConfiguration extends ClientPolicyConditionConfigurationRepresentation {

    public static final String EXPRESSION = "expression";

    @JsonProperty(EXPRESSION)
    private String expression;

    public String getExpression() {
        return expression;
    }

    public void setExpression(String expression) {
        this.expression = expression;
    }
}
