package io.mintgate.authorizer.policy;

import java.util.List;

/**
 * The verdict for one issuance request. {@code reason}/{@code message}/{@code rule}/{@code mode} describe the
 * deciding rule and are {@code null} on ALLOW. {@code message} is admin-authored and safe to show to the client.
 * {@code error} is the OAuth error a refusal answers with when it is not the default {@code access_denied} (an
 * AuthZEN token issuance profile PDP's refusals, whose error the profile names), else null.
 */
public record Decision(String id, Outcome outcome, String reason, String message, String rule, Mode mode,
                       String policyVersion, List<RuleFinding> findings, Obligations obligations, String error) {

    public Decision {
        findings = findings == null ? List.of() : List.copyOf(findings);
        obligations = obligations == null ? Obligations.NONE : obligations;
    }

    public Decision(String id, Outcome outcome, String reason, String message, String rule, Mode mode,
                    String policyVersion, List<RuleFinding> findings, Obligations obligations) {
        this(id, outcome, reason, message, rule, mode, policyVersion, findings, obligations, null);
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }

    static Decision allow(String id, String policyVersion, List<RuleFinding> findings, Obligations obligations) {
        return new Decision(id, Outcome.ALLOW, null, null, null, null, policyVersion, findings, obligations);
    }

    static Decision deny(String id, String reason, String message, String rule, String policyVersion,
                         List<RuleFinding> findings) {
        return new Decision(id, Outcome.DENY, reason, message, rule, Mode.ENFORCE, policyVersion,
                findings, Obligations.NONE);
    }

    static Decision deny(String id, RuleCheck.CheckDenial denial, String rule, String policyVersion,
                         List<RuleFinding> findings) {
        return new Decision(id, Outcome.DENY, denial.reason(), denial.message(), rule, Mode.ENFORCE, policyVersion,
                findings, Obligations.NONE, denial.error());
    }
}
