package io.mintgate.authorizer.policy.authzen;

/**
 * The facility an {@code authzen} rule check calls (see {@link io.mintgate.authorizer.policy.DecisionServices});
 * the host supplies it. Implementations bound the call by the PDP's timeout, may answer from a decision cache,
 * and fail fast while the PDP's circuit breaker is open.
 */
public interface AuthzenClient {

    /**
     * @return the PDP's decisions: one for a single evaluation, else one per item in request order
     * @throws io.mintgate.authorizer.policy.PolicyEvaluationException when no decision could be obtained (PDP
     *         down, timeout, non-2xx answer, malformed answer, open circuit): the rule's {@code onError} applies
     */
    default boolean[] evaluate(AuthzenQuery query) {
        return answer(query).decisions();
    }

    /**
     * The whole answer, with each item's response context (the token issuance profile shapes the token from it).
     * For a PDP declared with {@code profile: token-issuance}, the host first reads the PDP's metadata and fails
     * unless it advertises {@link PdpConfig#TOKEN_ISSUANCE_CAPABILITY}.
     *
     * @throws io.mintgate.authorizer.policy.PolicyEvaluationException as {@link #evaluate}
     */
    AuthzenAnswer answer(AuthzenQuery query);
}
