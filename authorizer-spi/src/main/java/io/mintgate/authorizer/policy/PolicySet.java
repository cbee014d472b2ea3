package io.mintgate.authorizer.policy;

import io.mintgate.authorizer.policy.cel.ContextReads;
import io.mintgate.authorizer.policy.cel.PolicyVariables;
import io.mintgate.authorizer.policy.cel.RequestActivation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A compiled, immutable policy; safe to evaluate from many threads at once. Obtain one from
 * {@link PolicyCompiler#compile(String)}. Semantics are documented in docs/policy-reference.md.
 */
public final class PolicySet {

    /** Reason code of a denial caused by an expression that failed to evaluate. */
    public static final String POLICY_ERROR = "policy_error";
    /** Client-facing text for policy errors: never the expression or the error, which may reveal internals. */
    static final String POLICY_ERROR_MESSAGE = "The token request could not be authorized.";
    private static final int GROUP_FAILED = -2;

    /** The context variables that only exist once someone has authenticated. */
    public static final Set<String> UNKNOWN_BEFORE_AUTHENTICATION = Set.of("subject", "actor");

    public static final PolicySet EMPTY = new PolicySet("empty", PolicyVariables.NONE, List.of());

    private final String version;
    private final PolicyVariables variables;
    private final List<Rule> rules;
    /** Per rule (same order): the context facts its match and condition read, variables expanded. */
    private final List<Set<String>> factsRead;
    /** The policies restricted to what is known before authentication, per set of known facts (few, fixed). */
    private final ConcurrentMap<Set<String>, PolicySet> beforeAuthentication = new ConcurrentHashMap<>(4);
    /**
     * The same, keyed by the caller's set instance: the front channel asks with a few constant sets on every
     * authorization request, and hashing and re-validating a set costs more than the early rules' evaluation.
     */
    private volatile EarlySet[] earlyByIdentity = new EarlySet[0];
    private static final int MAX_EARLY_BY_IDENTITY = 8;
    /** Per rule index, the group of plain rules starting there (see {@link RuleGroup}); null elsewhere. */
    private final RuleGroup[] groups;

    PolicySet(String version, PolicyVariables variables, List<Rule> rules) {
        this(version, variables, rules, new RuleGroup[rules.size()]);
    }

    PolicySet(String version, PolicyVariables variables, List<Rule> rules, RuleGroup[] groups) {
        this.version = version;
        this.variables = variables;
        this.rules = List.copyOf(rules);
        this.groups = groups.clone();
        List<Set<String>> reads = new ArrayList<>(this.rules.size());
        for (Rule rule : this.rules) {
            reads.add(factsRead(rule, variables));
        }
        this.factsRead = List.copyOf(reads);
    }

    private static Set<String> factsRead(Rule rule, PolicyVariables variables) {
        Set<String> reads = new HashSet<>();
        if (rule.match() != null) {
            reads.addAll(rule.match().reads());
        }
        if (rule.condition() != null) {
            reads.addAll(rule.condition().reads());
        }
        return variables.expand(reads);
    }

    /**
     * The part of this policy that can decide before the user (or other subject) has authenticated, as at the
     * authorization, PAR, device and CIBA authentication requests: the rules whose match and condition read only
     * {@code knownFacts} (paths such as {@code grant.scopes}, or whole variables such as {@code client}, see
     * {@link ContextReads}) and that have no checks (no PDP call, no budget unit spent before anyone logged in).
     * Obligations are dropped: nothing is minted yet. The subject and the actor are never known at that point, so a
     * rule that reads them, directly or through a policy variable, is never part of it.
     *
     * @param knownFacts an immutable set (it is remembered by identity); callers pass constants
     * @throws IllegalArgumentException if {@code knownFacts} names {@code subject} or {@code actor}
     */
    public PolicySet beforeAuthentication(Set<String> knownFacts) {
        for (EarlySet known : earlyByIdentity) {
            if (known.facts() == knownFacts) {
                return known.policy();
            }
        }
        PolicySet early = earlyPolicy(knownFacts);
        EarlySet[] current = earlyByIdentity;
        if (current.length < MAX_EARLY_BY_IDENTITY) {
            EarlySet[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = new EarlySet(knownFacts, early);
            earlyByIdentity = next; // a lost race only costs a hashed lookup below next time
        }
        return early;
    }

    private PolicySet earlyPolicy(Set<String> knownFacts) {
        for (String fact : knownFacts) {
            if (UNKNOWN_BEFORE_AUTHENTICATION.stream().anyMatch(v -> fact.equals(v) || fact.startsWith(v + "."))) {
                throw new IllegalArgumentException(fact + " is never known before authentication");
            }
        }
        return beforeAuthentication.computeIfAbsent(Set.copyOf(knownFacts), known -> {
            List<Rule> early = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                Rule rule = rules.get(i);
                if (rule.checks().isEmpty() && factsRead.get(i).stream().allMatch(read -> ContextReads.covered(read, known))) {
                    early.add(new Rule(rule.name(), rule.reason(), rule.message(), rule.mode(), rule.onError(),
                            rule.match(), rule.condition(), rule.denyWhenTrue(), ObligationTemplate.NONE, List.of(),
                            rule.verdict(), rule.denySource(), rule.conditionSource(), List.of()));
                }
            }
            return new PolicySet(version, variables, early);
        });
    }

    /** One known-facts set (by identity) and the early policy for it. */
    private record EarlySet(Set<String> facts, PolicySet policy) {
    }

    /** The rules' names, in evaluation order. */
    public List<String> ruleNames() {
        return rules.stream().map(Rule::name).toList();
    }

    /** The context facts the named rule reads (variables expanded), or null if there is no such rule. */
    public Set<String> factsRead(String ruleName) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).name().equals(ruleName)) {
                return factsRead.get(i);
            }
        }
        return null;
    }

    /**
     * Decides whether the token may be minted. Rules run in order; the first enforce rule that denies (or fails
     * with onError=deny) ends evaluation. Never throws: anything unexpected denies with {@code policy_error}.
     */
    public Decision evaluate(IssuanceRequest request) {
        return evaluate(request, DecisionServices.NONE);
    }

    /**
     * As {@link #evaluate(IssuanceRequest)}, with the facilities that rule checks (AuthZEN, budgets) call. A rule's
     * checks run after its own condition let the request through, and before its obligations; checks that consume
     * (budgets) run after every rule, only when nothing refused.
     */
    public Decision evaluate(IssuanceRequest request, DecisionServices services) {
        return evaluate(request, services, null);
    }

    /**
     * As {@link #evaluate(IssuanceRequest, DecisionServices)}, and tells {@code trace} (when not null) what each rule
     * did: the simulator's view of the live decision. The decision is the same with or without a trace, computed by
     * the same code; the trace only watches. A rule that a combined program ({@link RuleGroup}, a single-program
     * rule) found not to deny is asked its {@code match} once more to tell "skipped" from "allowed": the program had
     * evaluated that match without error, and expressions are pure (variables memoized per request), so the answer
     * is the one the program saw. The live path passes null.
     */
    public Decision evaluate(IssuanceRequest request, DecisionServices services, DecisionTrace trace) {
        List<RuleFinding> findings = new ArrayList<>(0);
        // Known before any rule runs, so that an obligation can put it into the token it is minting.
        String id = DecisionIds.next();
        if (trace != null) {
            trace.begin(rules);
        }
        try {
            RequestActivation activation = new RequestActivation(request, variables);
            ObligationsAccumulator obligations = null;
            List<Rule> counted = null;
            for (int i = 0; i < rules.size(); i++) {
                RuleGroup group = groups[i];
                if (group != null) {
                    int denying;
                    try {
                        denying = group.firstDenying(activation);
                    } catch (PolicyEvaluationException e) {
                        // Something in the group failed: ask its rules one by one (below) so that each error is
                        // handled exactly as it would be without the group.
                        denying = GROUP_FAILED;
                    }
                    if (denying == RuleGroup.NONE) {
                        if (trace != null) {
                            tracePassed(i, group.end(), activation, trace);
                        }
                        i = group.end() - 1;
                        continue;
                    }
                    if (denying >= 0) {
                        Rule rule = rules.get(denying);
                        if (trace != null) {
                            tracePassed(i, denying, activation, trace);
                            trace.conditionDenied(denying);
                        }
                        return Decision.deny(id, rule.reason(), rule.message(), rule.name(), version, findings);
                    }
                }
                Rule rule = rules.get(i);
                try {
                    boolean single = rule.singleProgram();
                    if (!single && !rule.applies(activation)) {
                        if (trace != null) {
                            trace.skipped(i);
                        }
                        continue;
                    }
                    if (single ? rule.matchesAndDenies(activation) : rule.denies(activation)) {
                        if (trace != null) {
                            trace.conditionDenied(i);
                        }
                        if (rule.mode() == Mode.SHADOW) {
                            findings.add(new RuleFinding(rule.name(), rule.reason(), Mode.SHADOW, false, rule.message()));
                            continue;
                        }
                        return Decision.deny(id, rule.reason(), rule.message(), rule.name(), version, findings);
                    }
                    if (single) {
                        if (trace != null) {
                            tracePassed(i, i + 1, activation, trace);
                        }
                        continue; // nothing follows the condition of such a rule
                    }
                    Obligations[] narrowed = rule.mode() == Mode.ENFORCE && narrows(rule) ? new Obligations[1] : null;
                    RuleCheck.CheckDenial denial = runChecks(rule, activation, services, false, narrowed, trace, i);
                    if (denial != null) {
                        if (rule.mode() == Mode.SHADOW) {
                            findings.add(new RuleFinding(rule.name(), denial.reason(), Mode.SHADOW, false, denial.message()));
                            continue;
                        }
                        return Decision.deny(id, denial, rule.name(), version, findings);
                    }
                    if (rule.mode() == Mode.ENFORCE) {
                        if (rule.obligations() != ObligationTemplate.NONE) {
                            if (obligations == null) {
                                obligations = new ObligationsAccumulator();
                            }
                            rule.obligations().evaluateInto(activation, obligations, id);
                        }
                        if (narrowed != null && narrowed[0] != null && !narrowed[0].isEmpty()) {
                            if (obligations == null) {
                                obligations = new ObligationsAccumulator();
                            }
                            Obligations o = narrowed[0];
                            obligations.add(o.keepScopes(), o.keepAudiences(), o.keepRoles(), o.maxAccessTokenLifetime(),
                                    o.refreshTokenAllowed(), o.maxRefreshTokenLifetime(),
                                    o.claims().isEmpty() ? null : new java.util.LinkedHashMap<>(o.claims()));
                            obligations.limitAuthorizationDetails(o.authorizationDetails());
                        }
                    }
                    // Counted only once the rule fully passed (a rule whose obligations failed counts nothing).
                    if (counts(rule)) {
                        counted = counted == null ? new ArrayList<>(2) : counted;
                        counted.add(rule);
                        if (trace != null) {
                            trace.deferred(i);
                        }
                    } else if (trace != null) {
                        trace.allowed(i);
                    }
                } catch (PolicyEvaluationException e) {
                    findings.add(new RuleFinding(rule.name(), POLICY_ERROR, rule.mode(), true, e.getMessage()));
                    boolean refuses = rule.mode() == Mode.ENFORCE && rule.onError() == OnError.DENY;
                    if (trace != null) {
                        trace.error(i, e.getMessage(), refuses);
                    }
                    if (refuses) {
                        return Decision.deny(id, POLICY_ERROR, POLICY_ERROR_MESSAGE, rule.name(), version, findings);
                    }
                }
            }
            // Checks that use something up (budgets) run last, once nothing else refused, in rule order.
            for (int i = 0; counted != null && i < counted.size(); i++) {
                Rule rule = counted.get(i);
                int index = trace == null ? -1 : indexOf(rule);
                try {
                    RuleCheck.CheckDenial denial = runChecks(rule, activation, services, true, null, trace, index);
                    if (denial == null && trace != null) {
                        trace.allowed(index);
                    }
                    if (denial != null && rule.mode() == Mode.SHADOW) {
                        findings.add(new RuleFinding(rule.name(), denial.reason(), Mode.SHADOW, false, denial.message()));
                    } else if (denial != null) {
                        return Decision.deny(id, denial, rule.name(), version, findings);
                    }
                } catch (PolicyEvaluationException e) {
                    findings.add(new RuleFinding(rule.name(), POLICY_ERROR, rule.mode(), true, e.getMessage()));
                    boolean refuses = rule.mode() == Mode.ENFORCE && rule.onError() == OnError.DENY;
                    if (trace != null) {
                        trace.error(index, e.getMessage(), refuses);
                    }
                    if (refuses) {
                        return Decision.deny(id, POLICY_ERROR, POLICY_ERROR_MESSAGE, rule.name(), version, findings);
                    }
                }
            }
            return Decision.allow(id, version, findings, obligations == null ? Obligations.NONE : obligations.build());
        } catch (RuntimeException e) {
            // A bug of ours must never mint a token: fail closed.
            findings.add(new RuleFinding(null, POLICY_ERROR, Mode.ENFORCE, true, String.valueOf(e)));
            return Decision.deny(id, POLICY_ERROR, POLICY_ERROR_MESSAGE, null, version, findings);
        }
    }

    /**
     * Traces rules {@code [from, to)}, which a combined program found not to deny, as skipped or allowed by asking
     * each its match (see {@link #evaluate(IssuanceRequest, DecisionServices, DecisionTrace)}). Only with a trace.
     */
    private void tracePassed(int from, int to, RequestActivation activation, DecisionTrace trace) {
        for (int k = from; k < to; k++) {
            boolean applied;
            try {
                applied = rules.get(k).applies(activation);
            } catch (PolicyEvaluationException e) {
                // Cannot happen (the program evaluated this match without error), and must never change the
                // decision: the program found the rule not to deny, which is what "allowed" reports.
                applied = true;
            }
            if (applied) {
                trace.allowed(k);
            } else {
                trace.skipped(k);
            }
        }
    }

    private int indexOf(Rule rule) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i) == rule) {
                return i;
            }
        }
        throw new IllegalStateException("rule " + rule.name() + " is not in this policy");
    }

    /**
     * Runs the rule's checks that consume ({@code consuming}) or the others, in declaration order; a refusal is
     * told to {@code trace} (when not null) with the check that refused, as rule {@code index}.
     */
    private static RuleCheck.CheckDenial runChecks(Rule rule, RequestActivation activation, DecisionServices services,
                                                   boolean consuming, Obligations[] narrowed, DecisionTrace trace,
                                                   int index) {
        List<RuleCheck> checks = rule.checks();
        for (int k = 0; k < checks.size(); k++) {
            RuleCheck check = checks.get(k);
            if (check.consumes() != consuming) {
                continue;
            }
            RuleCheck.CheckDenial denial = rule.mode() == Mode.SHADOW ? check.checkShadow(activation, services)
                    : narrowed != null && check.narrows()
                    ? check.check(activation, services, o -> narrowed[0] = narrowed[0] == null ? o : narrowed[0].intersect(o))
                    : check.check(activation, services);
            if (denial != null) {
                if (trace != null) {
                    trace.checkDenied(index, k, denial);
                }
                return denial;
            }
        }
        return null;
    }

    private static boolean narrows(Rule rule) {
        for (RuleCheck check : rule.checks()) {
            if (check.narrows()) {
                return true;
            }
        }
        return false;
    }

    private static boolean counts(Rule rule) {
        for (RuleCheck check : rule.checks()) {
            if (check.consumes()) {
                return true;
            }
        }
        return false;
    }

    public String version() {
        return version;
    }

    public int size() {
        return rules.size();
    }

    /** The groups of plain rules that run as one program each (tests). */
    java.util.List<RuleGroup> groups() {
        return java.util.Arrays.stream(groups).filter(java.util.Objects::nonNull).toList();
    }
}
