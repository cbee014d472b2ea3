package io.mintgate.authorizer.policy.authzen;

import io.mintgate.authorizer.policy.DecisionServices;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.RuleCheck;
import io.mintgate.authorizer.policy.cel.RequestActivation;

/**
 * A rule's delegation to a PDP that speaks the AuthZEN Profile for OAuth 2.0 Token Issuance (Draft 1) and its
 * token exchange binding: Mintgate forms the gate and scope tuples itself (Section 5), sends them as one request per
 * issuance (Section 5.5.1), and composes the answer (Sections 5.5.4-6.6) into a refusal or the token's narrowing.
 * Anything that is no valid decision (PDP down, timeout, malformed or broadening answer) throws, and the rule's
 * {@code onError}, which must be {@code deny} for such a rule, refuses the token (Section 11.1).
 */
final class IssuanceProfileCheck implements RuleCheck {

    private final PdpConfig pdp;
    private final CheckDenial denial;
    private final CheckDenial tooLarge;

    IssuanceProfileCheck(PdpConfig pdp, CheckDenial denial) {
        this.pdp = pdp;
        this.denial = denial;
        this.tooLarge = new CheckDenial("pdp_batch_too_large", "The token request names too many scopes or "
                + "audiences to be decided (at most " + pdp.maxEvaluations() + " evaluations).");
    }

    @Override
    public CheckDenial check(RequestActivation activation, DecisionServices services) {
        return check(activation, services, obligations -> {
            // A shadow rule only reports; its narrowing is not applied.
        });
    }

    @Override
    public CheckDenial check(RequestActivation activation, DecisionServices services, Narrowing narrowing) {
        ExchangeContext exchange = IssuanceEvaluations.TOKEN_EXCHANGE.equals(activation.request().grant().type())
                ? services.facility(ExchangeContext.class) : null;
        IssuanceEvaluations batch = IssuanceEvaluations.form(pdp, activation.request(),
                exchange == null ? java.util.Map.of() : exchange.members());
        if (batch == null) {
            // Section 5.5.3: the AS rejects a request beyond its bound, with the error of the parameter that overran it
            return tooLarge.withError(overrun(activation.request()));
        }
        AuthzenAnswer answer = services.require(AuthzenClient.class).answer(batch.query());
        IssuanceShaping.Outcome outcome = IssuanceShaping.compose(batch, answer, pdp.name());
        if (outcome.refused()) {
            // Section 8: the PDP's reasons are never relayed to the client; the rule's own reason and message are,
            // with the OAuth error Section 8 (binding Section 7) names for the refusal.
            return outcome.error() == null ? denial : denial.withError(outcome.error());
        }
        narrowing.narrow(outcome.obligations());
        return null;
    }

    /** Which parameter made the batch too large: the authorization details, else the scopes, else the targets. */
    private static String overrun(IssuanceRequest request) {
        if (!request.grant().authorizationDetails().isEmpty()) {
            return IssuanceShaping.INVALID_AUTHORIZATION_DETAILS;
        }
        return request.grant().scopes().isEmpty() ? IssuanceShaping.INVALID_TARGET : IssuanceShaping.INVALID_SCOPE;
    }

    @Override
    public boolean narrows() {
        return true;
    }

    PdpConfig pdp() {
        return pdp;
    }
}
