package io.mintgate.authorizer.policy;

/**
 * What rule checks may call outside the policy core, supplied per request by the host (the Keycloak adapter).
 * Kept as one interface with one method per facility so the core stays free of Keycloak types; a facility the
 * host does not provide fails the check, which then follows the rule's {@code onError} (deny by default).
 */
public interface DecisionServices {

    DecisionServices NONE = new DecisionServices() {
    };

    /** Looks up a facility by type, e.g. the AuthZEN client or the budget counters; null when not provided. */
    default <T> T facility(Class<T> type) {
        return null;
    }

    /** The facility, or a {@link PolicyEvaluationException} that fails the check (closed, unless onError=allow). */
    default <T> T require(Class<T> type) {
        T facility = facility(type);
        if (facility == null) {
            throw new PolicyEvaluationException("no " + type.getSimpleName() + " is available here", null);
        }
        return facility;
    }
}
