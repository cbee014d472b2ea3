package io.mintgate.authorizer.keycloak.enforce;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.Mode;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.RuleFinding;
import io.mintgate.authorizer.policy.budget.IssuanceBudget;

/**
 * The decision meters on Keycloak's management port ({@code /metrics}, with {@code --metrics-enabled=true}); the
 * names, labels and meanings are listed in docs/observability.md. Every label value comes from a fixed set (the
 * realm aside), so the series stay few: the admin-chosen reason codes and rule names appear only in the per-rule
 * meters, which the server option {@code --spi-client-policy-executor--issuance-authorizer--metrics-per-rule=true}
 * turns on. On the token path a decision costs a map lookup by realm, an array read, one counter increment and one
 * timer record: the meters are registered once, on the first decision of a realm and grant type.
 */
public final class DecisionMetrics {

    static final String DECISIONS = "mintgate_decisions_total";
    static final String LATENCY = "mintgate_decision_seconds";
    static final String RULE_ERRORS = "mintgate_rule_errors_total";
    static final String BUDGET_EXHAUSTED = "mintgate_budget_exhausted_total";
    static final String RULE_DENIALS = "mintgate_rule_denials_total";
    static final String RULE_ERRORS_BY_RULE = "mintgate_rule_errors_by_rule_total";

    /** The histogram's buckets: a decision takes microseconds, one that calls a PDP milliseconds. */
    static final Duration[] BUCKETS = {
            Duration.ofNanos(10_000), Duration.ofNanos(25_000), Duration.ofNanos(50_000), Duration.ofNanos(100_000),
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1)};

    /** {@code outcome}: what happened to the token request. */
    static final List<String> OUTCOMES = List.of("allow", "shadow", "deny", "error");
    /** {@code reason}: the engine's own reason codes; {@code rule} stands for every admin-chosen one. */
    static final List<String> REASONS = List.of("none", "rule", IssuanceBudget.REASON, PolicySet.POLICY_ERROR);
    /** {@code grant}: the OAuth grant types Keycloak serves, shortened; anything else is {@code other}. */
    static final List<String> GRANTS = List.of("authorization_code", "refresh_token", "client_credentials",
            "password", "token_exchange", "device_code", "ciba", "jwt_bearer", "uma_ticket", "pre_authorized_code",
            "implicit", "none", "other");
    /** {@code effect} of a rule that failed to evaluate, as {@link RuleErrorLog} words it. */
    static final List<String> EFFECTS = List.of("deny", "allow", "shadow", "policy");

    private static final int ALLOW = 0;
    private static final int SHADOW = 1;
    private static final int DENY = 2;
    private static final int ERROR = 3;
    private static final int NONE = 0;
    private static final int RULE = 1;
    private static final int BUDGET = 2;
    private static final int POLICY_ERROR = 3;
    /** The outcome/reason pairs a decision can have; registered together, so that every one has a series at 0. */
    private static final int[][] PAIRS = {{ALLOW, NONE}, {SHADOW, RULE}, {SHADOW, BUDGET}, {DENY, RULE},
            {DENY, BUDGET}, {ERROR, POLICY_ERROR}};

    private static volatile DecisionMetrics instance = new DecisionMetrics(Metrics.globalRegistry, false);

    private final MeterRegistry registry;
    private final boolean perRule;
    private final Map<String, RealmMeters> realms = new ConcurrentHashMap<>();

    DecisionMetrics(MeterRegistry registry, boolean perRule) {
        this.registry = registry;
        this.perRule = perRule;
    }

    public static DecisionMetrics get() {
        return instance;
    }

    /** Called once at boot with the server option {@code metrics-per-rule}. */
    public static void configure(boolean perRule) {
        instance = new DecisionMetrics(Metrics.globalRegistry, perRule);
    }

    public boolean perRule() {
        return perRule;
    }

    /** Records one decision that took from {@code startedNanos} ({@link System#nanoTime()}) until now. */
    void record(IssuanceRequest request, Decision decision, long startedNanos) {
        long elapsed = System.nanoTime() - startedNanos;
        RealmMeters meters = realms.get(request.realm());
        if (meters == null) {
            meters = realms.computeIfAbsent(request.realm(), realm -> new RealmMeters(registry, realm));
        }
        List<RuleFinding> findings = decision.findings();
        int outcome;
        int reason;
        if (decision.allowed()) {
            RuleFinding shadow = findings.isEmpty() ? null : firstShadowDenial(findings);
            outcome = shadow == null ? ALLOW : SHADOW;
            reason = shadow == null ? NONE : reasonIndex(shadow.reason());
        } else {
            reason = reasonIndex(decision.reason());
            outcome = reason == POLICY_ERROR ? ERROR : DENY;
        }
        Counter decisions = meters.decisions(grantIndex(request.grant().type())).count(outcome, reason);
        if (decisions != null) { // every pair a decision can have is registered; a meter must never refuse a token
            decisions.increment();
        }
        meters.latency.record(elapsed, TimeUnit.NANOSECONDS);
        if (reason == BUDGET && outcome == DENY) {
            meters.budgetEnforced.increment();
        }
        if (!findings.isEmpty()) {
            recordFindings(meters, request.realm(), decision, findings);
        }
        if (perRule && !decision.allowed() && decision.rule() != null && outcome == DENY) {
            ruleDenial(request.realm(), decision.rule(), decision.reason(), Mode.ENFORCE);
        }
    }

    private void recordFindings(RealmMeters meters, String realm, Decision decision, List<RuleFinding> findings) {
        for (RuleFinding finding : findings) {
            if (finding.error()) {
                String effect = effect(decision, finding);
                meters.ruleErrors[EFFECTS.indexOf(effect)].increment();
                if (perRule && finding.rule() != null) {
                    Counter.builder(RULE_ERRORS_BY_RULE).tag("realm", realm).tag("rule", finding.rule())
                            .tag("effect", effect)
                            .description("Rules that failed to evaluate, by rule (metrics-per-rule)")
                            .register(registry).increment();
                }
            } else if (finding.mode() == Mode.SHADOW) {
                if (IssuanceBudget.REASON.equals(finding.reason())) {
                    meters.budgetShadow.increment();
                }
                if (perRule && finding.rule() != null) {
                    ruleDenial(realm, finding.rule(), finding.reason(), Mode.SHADOW);
                }
            }
        }
    }

    private void ruleDenial(String realm, String rule, String reason, Mode mode) {
        Counter.builder(RULE_DENIALS).tag("realm", realm).tag("rule", rule).tag("reason", reason)
                .tag("mode", mode == Mode.SHADOW ? "shadow" : "enforce")
                .description("Denials by rule: enforce (the token was refused) or shadow (it would have been) (metrics-per-rule)")
                .register(registry).increment();
    }

    private static RuleFinding firstShadowDenial(List<RuleFinding> findings) {
        for (RuleFinding finding : findings) {
            if (finding.mode() == Mode.SHADOW && !finding.error()) {
                return finding;
            }
        }
        return null;
    }

    /** The {@code effect} label of a failed rule: the same cases as {@link RuleErrorLog#effect}. */
    static String effect(Decision decision, RuleFinding finding) {
        if (finding.rule() == null) {
            return "policy";
        }
        if (finding.mode() == Mode.SHADOW) {
            return "shadow";
        }
        return !decision.allowed() && finding.rule().equals(decision.rule()) ? "deny" : "allow";
    }

    private static int reasonIndex(String reason) {
        if (IssuanceBudget.REASON.equals(reason)) {
            return BUDGET;
        }
        return PolicySet.POLICY_ERROR.equals(reason) ? POLICY_ERROR : RULE;
    }

    /** The {@code grant} label of an OAuth grant type (the request's {@code grant.type}). */
    static String grantLabel(String grantType) {
        return GRANTS.get(grantIndex(grantType));
    }

    private static int grantIndex(String grantType) {
        return switch (grantType) {
            case "authorization_code" -> 0;
            case "refresh_token" -> 1;
            case "client_credentials" -> 2;
            case "password" -> 3;
            case "urn:ietf:params:oauth:grant-type:token-exchange" -> 4;
            case "urn:ietf:params:oauth:grant-type:device_code" -> 5;
            case "urn:openid:params:grant-type:ciba" -> 6;
            case "urn:ietf:params:oauth:grant-type:jwt-bearer" -> 7;
            case "urn:ietf:params:oauth:grant-type:uma-ticket" -> 8;
            case "urn:ietf:params:oauth:grant-type:pre-authorized_code" -> 9;
            case "implicit" -> 10;
            case "" -> 11;
            default -> 12;
        };
    }

    /** One realm's meters: those with fixed labels at once, the decision counters per grant type on first use. */
    private static final class RealmMeters {
        final MeterRegistry registry;
        final String realm;
        final Timer latency;
        final Counter[] ruleErrors = new Counter[EFFECTS.size()];
        final Counter budgetEnforced;
        final Counter budgetShadow;
        final AtomicReferenceArray<GrantCounters> byGrant = new AtomicReferenceArray<>(GRANTS.size());

        RealmMeters(MeterRegistry registry, String realm) {
            this.registry = registry;
            this.realm = realm;
            latency = Timer.builder(LATENCY).tag("realm", realm)
                    .description("Time the issuance-authorizer took to decide (policy evaluation, budgets and PDP calls included)")
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
            for (int i = 0; i < EFFECTS.size(); i++) {
                ruleErrors[i] = Counter.builder(RULE_ERRORS).tag("realm", realm).tag("effect", EFFECTS.get(i))
                        .description("Rules that failed to evaluate, by what the failure did: deny (onError deny refused"
                                + " the token), allow (onError allow skipped the rule), shadow (no effect), policy"
                                + " (the whole policy failed: every token refused)")
                        .register(registry);
            }
            budgetEnforced = budget("enforce");
            budgetShadow = budget("shadow");
        }

        private Counter budget(String mode) {
            return Counter.builder(BUDGET_EXHAUSTED).tag("realm", realm).tag("mode", mode)
                    .description("Issuance budgets found used up: enforce (the token was refused) or shadow (a shadow"
                            + " rule's budget would have refused it)")
                    .register(registry);
        }

        GrantCounters decisions(int grant) {
            GrantCounters counters = byGrant.get(grant);
            if (counters == null) {
                // Two first decisions may race here: Micrometer hands both the same counters.
                counters = new GrantCounters(registry, realm, GRANTS.get(grant));
                byGrant.set(grant, counters);
            }
            return counters;
        }
    }

    /** The decision counters of one realm and grant type, one per outcome/reason pair that can occur. */
    private static final class GrantCounters {
        final Counter[] counters = new Counter[OUTCOMES.size() * REASONS.size()];

        GrantCounters(MeterRegistry registry, String realm, String grant) {
            for (int[] pair : PAIRS) {
                counters[pair[0] * REASONS.size() + pair[1]] = Counter.builder(DECISIONS).tag("realm", realm)
                        .tag("outcome", OUTCOMES.get(pair[0])).tag("reason", REASONS.get(pair[1])).tag("grant", grant)
                        .description("Issuance decisions by outcome (allow, shadow: allowed but a shadow rule would"
                                + " have denied, deny, error: refused because a rule or the policy failed), reason"
                                + " and grant type")
                        .register(registry);
            }
        }

        Counter count(int outcome, int reason) {
            return counters[outcome * REASONS.size() + reason];
        }
    }
}
