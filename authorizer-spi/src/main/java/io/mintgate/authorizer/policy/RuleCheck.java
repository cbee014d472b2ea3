package io.mintgate.authorizer.policy;

import io.mintgate.authorizer.policy.cel.RequestActivation;

/**
 * A step of a rule that consults something outside the policy document — an AuthZEN PDP, an issuance budget.
 * It runs after the rule's own condition let the request through, in the order the rule's fields are declared.
 * Compiled once with the policy (see {@link RuleChecks}); called concurrently, so implementations are immutable.
 */
public interface RuleCheck {

    /**
     * @return {@code null} when the request passes this check, else the denial to report
     * @throws PolicyEvaluationException when the check cannot decide (PDP down, timeout, ...): the rule's
     *         {@code onError} then applies, and the default denies
     */
    CheckDenial check(RequestActivation activation, DecisionServices services);

    /**
     * As {@link #check(RequestActivation, DecisionServices)}, for a check that also narrows the token when it passes
     * (a token issuance profile PDP's shaping): it hands the narrowing to {@code narrowing}, which the engine adds
     * to the decision's obligations for an enforce rule (and ignores for a shadow rule).
     */
    default CheckDenial check(RequestActivation activation, DecisionServices services, Narrowing narrowing) {
        return check(activation, services);
    }

    /** True for a check that may narrow the token ({@link #check(RequestActivation, DecisionServices, Narrowing)}). */
    default boolean narrows() {
        return false;
    }

    /** Receives the obligations a passing check asks of the token. */
    interface Narrowing {
        void narrow(Obligations obligations);
    }

    /** Shadow rules must report, not act: a check with side effects (a budget) may skip them when told so. */
    default CheckDenial checkShadow(RequestActivation activation, DecisionServices services) {
        return check(activation, services);
    }

    /**
     * True for a check that uses something up (an issuance budget): it runs only after every rule of the policy let
     * the request through, so a token refused anyway consumes nothing. Others run in place.
     */
    default boolean consumes() {
        return false;
    }

    /**
     * Why a check refused: a reason code and a client-safe message (it may be computed, e.g. when a window resets),
     * and the OAuth error the client gets, or null for the default ({@code access_denied}).
     */
    record CheckDenial(String reason, String message, String error) {

        public CheckDenial(String reason, String message) {
            this(reason, message, null);
        }

        /** This denial answered with another OAuth error. */
        public CheckDenial withError(String oauthError) {
            return new CheckDenial(reason, message, oauthError);
        }
    }
}
