package io.mintgate.authorizer.keycloak.enforce;

import io.mintgate.authorizer.policy.Decision;

/** The client-facing side of a refusal: a standard OAuth error whose description names reason and decision id. */
final class Denials {

    /** RFC 6749 leaves policy refusals at the token endpoint unnamed; access_denied is what clients already handle. */
    static final String ERROR = "access_denied";

    private Denials() {
    }

    /** The OAuth error of a refusal: the decision's own (a token issuance profile PDP's), else {@value #ERROR}. */
    static String error(Decision decision) {
        return decision.error() == null ? ERROR : decision.error();
    }

    /** Never the rule's name or expression: only the admin-written message, the reason code and the decision id. */
    static String description(Decision decision) {
        String message = decision.message() == null || decision.message().isBlank()
                ? "token issuance refused by policy" : decision.message();
        return message + " (reason: " + decision.reason() + ", decision: " + decision.id() + ")";
    }
}
