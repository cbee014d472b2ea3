package io.mintgate.authorizer.keycloak.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.Mode;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.Outcome;
import io.mintgate.authorizer.policy.RuleFinding;
import org.junit.jupiter.api.Test;

class RuleErrorLogTest {

    private static final long MINUTE = 60_000_000_000L;

    @Test
    void aFailingRuleIsWarnedAboutOncePerIntervalWithTheFailuresInBetween() {
        RuleErrorLog log = new RuleErrorLog(MINUTE);
        long t = 1_000L;
        assertThat(log.warnDue("acme/ip-check", t)).as("first failure: warn now").isEqualTo(1);
        assertThat(log.warnDue("acme/ip-check", t + 1)).as("within the minute: debug only").isZero();
        assertThat(log.warnDue("acme/ip-check", t + MINUTE - 1)).isZero();
        assertThat(log.warnDue("acme/ip-check", t + MINUTE)).as("a minute later: the two held back and this one")
                .isEqualTo(3);
        assertThat(log.warnDue("acme/ip-check", t + MINUTE + 5)).isZero();
    }

    @Test
    void eachRuleOfEachRealmHasItsOwnInterval() {
        RuleErrorLog log = new RuleErrorLog(MINUTE);
        assertThat(log.warnDue("acme/ip-check", 0)).isEqualTo(1);
        assertThat(log.warnDue("acme/geo", 1)).isEqualTo(1);
        assertThat(log.warnDue("other/ip-check", 2)).isEqualTo(1);
        assertThat(log.warnDue("acme/ip-check", 3)).isZero();
    }

    @Test
    void theEffectSaysWhatTheFailureDidToTheRequest() {
        RuleFinding enforced = new RuleFinding("ip-check", "policy_error", Mode.ENFORCE, true, "no such key");
        RuleFinding shadow = new RuleFinding("watch", "policy_error", Mode.SHADOW, true, "no such key");
        Decision refused = new Decision("d-1", Outcome.DENY, "policy_error", "The token request could not be authorized.",
                "ip-check", Mode.ENFORCE, "v1", List.of(enforced), Obligations.NONE);
        Decision allowed = new Decision("d-2", Outcome.ALLOW, null, null, null, null, "v1", List.of(enforced, shadow),
                Obligations.NONE);
        assertThat(RuleErrorLog.effect(refused, enforced)).isEqualTo("onError deny: token refused with policy_error");
        assertThat(RuleErrorLog.effect(allowed, enforced)).isEqualTo("onError allow: rule skipped");
        assertThat(RuleErrorLog.effect(allowed, shadow)).isEqualTo("shadow rule, no effect");
        RuleFinding wholePolicy = new RuleFinding(null, "policy_error", Mode.ENFORCE, true, "does not compile");
        Decision unusable = new Decision("d-3", Outcome.DENY, "policy_error", null, null, Mode.ENFORCE, "invalid",
                List.of(wholePolicy), Obligations.NONE);
        assertThat(RuleErrorLog.effect(unusable, wholePolicy)).isEqualTo("every token refused with policy_error");
    }
}
