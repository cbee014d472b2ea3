package io.mintgate.audit.record;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** What the Mintgate authorizer decided for this request, as it reported it in the Keycloak event details. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Decision(String id, String rule, String reason, String mode, String outcome, String policyVersion,
                       String narrowed, List<String> shadowDenials) {
    public Decision {
        shadowDenials = shadowDenials == null ? List.of() : List.copyOf(shadowDenials);
    }
}
