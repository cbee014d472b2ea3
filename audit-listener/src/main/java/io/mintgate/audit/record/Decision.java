package io.mintgate.audit.record;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What the Mintgate authorizer decided for this request, as it reported it in the Keycloak event details.
 * {@code ruleErrors} names the rules whose evaluation failed: with {@code onError: allow} (or in shadow mode) the token
 * was still minted, which is exactly what an auditor needs to see; the error text itself stays in the server log.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Decision(String id, String rule, String reason, String mode, String outcome, String policyVersion,
                       String narrowed, List<String> shadowDenials, List<String> ruleErrors) {
    public Decision {
        shadowDenials = shadowDenials == null ? List.of() : List.copyOf(shadowDenials);
        ruleErrors = ruleErrors == null ? List.of() : List.copyOf(ruleErrors);
    }
}
