package io.mintgate.audit.record;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What the Mintgate authorizer decided for this request, as it reported it in the Keycloak event details, and the
 * non-human identity it decided about ({@code nhi}: owner, purpose, expiry; null for clients that declare none).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Decision(String id, String rule, String reason, String mode, String outcome, String policyVersion,
                       String narrowed, List<String> shadowDenials, Nhi nhi) {

    /** The NHI attributes as they were at the decision. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Nhi(String owner, String purpose, String expiresAt) {
    }

    public Decision {
        shadowDenials = shadowDenials == null ? List.of() : List.copyOf(shadowDenials);
    }
}
