package io.mintgate.authorizer.policy.authzen;

import java.util.Map;

/**
 * The facility (see {@link io.mintgate.authorizer.policy.DecisionServices}) that gives a token exchange's advisory
 * context of the token exchange binding (Draft 1, Section 4.5) for the request being decided: the
 * {@code subject_token_type} and {@code actor_token_type} parameters verbatim, and the {@code act} and
 * {@code may_act} claims of the subject token the host has already validated (Section 4.3.3). Never a raw token.
 */
public interface ExchangeContext {

    /** Member name to JSON-like value (String, Map, List), in the order to send; empty when there is nothing. */
    Map<String, Object> members();
}
