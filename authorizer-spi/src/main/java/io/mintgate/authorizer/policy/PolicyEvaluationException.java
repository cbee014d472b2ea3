package io.mintgate.authorizer.policy;

/** A compiled expression failed at evaluation time (missing key, no matching overload, cost limit, ...). */
public final class PolicyEvaluationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PolicyEvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}
