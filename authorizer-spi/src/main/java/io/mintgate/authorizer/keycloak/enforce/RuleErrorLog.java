package io.mintgate.authorizer.keycloak.enforce;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.Mode;
import io.mintgate.authorizer.policy.RuleFinding;
import org.jboss.logging.Logger;

/**
 * Tells the admin why a rule failed to evaluate. The finding's detail (the failing field and the CEL error, or which
 * PDP failed how) must never reach the client, and the audit record only names the rule
 * ({@code data.decision.ruleErrors}): the server log is where the reason is read. A broken rule fails on every token
 * request, so each rule of each realm is logged at WARN at most once per interval, with the number of failures since
 * the last WARN; every failure is logged at DEBUG. A failure of the policy as a whole (it cannot be compiled, or our
 * own bug) refuses every token of the realm and is logged the same way, at ERROR.
 */
final class RuleErrorLog {

    /** The category admins set levels for (docs/policy-reference.md): it stays as it was before the class moved. */
    private static final Logger LOG = Logger.getLogger("io.mintgate.authorizer.keycloak.RuleErrorLog");
    private static final int MAX_RULES = 10_000;

    static final RuleErrorLog INSTANCE = new RuleErrorLog(TimeUnit.MINUTES.toNanos(1));

    private final long intervalNanos;
    private final ConcurrentMap<String, Throttle> throttles = new ConcurrentHashMap<>();

    RuleErrorLog(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** Logs every rule of {@code decision} whose evaluation failed; nothing to do (the common case) costs one check. */
    void report(IssuanceRequest request, Decision decision) {
        if (decision.findings().isEmpty()) {
            return;
        }
        for (RuleFinding finding : decision.findings()) {
            if (finding.error()) {
                report(request, decision, finding);
            }
        }
    }

    /** A finding without a rule is the policy failing as a whole: every token of the realm is refused, so ERROR. */
    private void report(IssuanceRequest request, Decision decision, RuleFinding finding) {
        boolean wholePolicy = finding.rule() == null;
        long failures = warnDue(wholePolicy ? request.realm() : request.realm() + '\u0000' + finding.rule(),
                System.nanoTime());
        Logger.Level level = failures == 0 ? Logger.Level.DEBUG : wholePolicy ? Logger.Level.ERROR : Logger.Level.WARN;
        if (!LOG.isEnabled(level)) {
            return;
        }
        LOG.logf(level, "issuance-authorizer %s in realm %s failed to evaluate for client %s (decision %s; %s): %s%s",
                wholePolicy ? "policy" : "rule '" + finding.rule() + "'", request.realm(),
                request.client().clientId(), decision.id(), effect(decision, finding), finding.detail(),
                failures > 1 ? " [" + failures + " failures since the last warning]" : "");
    }

    /** What the failure did to the request, in the words of the policy reference. */
    static String effect(Decision decision, RuleFinding finding) {
        if (finding.rule() == null) {
            return "every token refused with " + decision.reason();
        }
        if (finding.mode() == Mode.SHADOW) {
            return "shadow rule, no effect";
        }
        if (!decision.allowed() && finding.rule().equals(decision.rule())) {
            return "onError deny: token refused with " + decision.reason();
        }
        return "onError allow: rule skipped";
    }

    /**
     * Counts one failure of {@code key} at {@code nanoTime}: the failures to report in a WARN now (those since the
     * last WARN, this one included), or 0 when the last WARN for this key is less than one interval old.
     */
    long warnDue(String key, long nanoTime) {
        if (throttles.size() >= MAX_RULES) {
            throttles.clear(); // bounded; a forgotten rule is warned about once more, which is harmless
        }
        Throttle throttle = throttles.computeIfAbsent(key, k -> new Throttle(nanoTime - intervalNanos));
        synchronized (throttle) {
            throttle.failures++;
            if (nanoTime - throttle.warnedAt < intervalNanos) {
                return 0;
            }
            long failures = throttle.failures;
            throttle.failures = 0;
            throttle.warnedAt = nanoTime;
            return failures;
        }
    }

    /** When a rule was last warned about, and how many times it failed since; guarded by itself. */
    private static final class Throttle {
        long warnedAt;
        long failures;

        Throttle(long warnedAt) {
            this.warnedAt = warnedAt;
        }
    }
}
