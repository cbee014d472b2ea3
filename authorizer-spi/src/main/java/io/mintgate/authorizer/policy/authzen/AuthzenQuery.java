package io.mintgate.authorizer.policy.authzen;

/**
 * One call to a PDP: the JSON body of an AuthZEN 1.0 Access Evaluation request ({@code evaluations == 0}, sent
 * to {@code access/v1/evaluation}) or of an Access Evaluations (batch) request with that many items (sent to
 * {@code access/v1/evaluations}). The body is the decision cache's key, so equal requests share one decision.
 */
public record AuthzenQuery(PdpConfig pdp, String body, int evaluations) {

    public boolean batch() {
        return evaluations > 0;
    }
}
