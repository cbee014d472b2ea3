package io.mintgate.authorizer.keycloak.enforce;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import io.mintgate.authorizer.keycloak.lifecycle.NhiExpiryMetrics;
import io.mintgate.authorizer.keycloak.services.KeycloakDecisionServices;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.Mode;
import io.mintgate.authorizer.policy.NhiInfo;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.Outcome;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyValidationException;
import io.mintgate.authorizer.policy.RuleFinding;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;

/**
 * Takes one decision for this request and records it in the {@link RequestLedger}: the details for the Keycloak
 * event, the obligations for whatever narrows the token later in the same request. It decides and records; the
 * {@link DecisionPlaces} refuse and narrow. A policy that cannot be compiled denies (fail closed).
 */
public final class IssuanceDecisions {

    private static final Logger LOG = Logger.getLogger(IssuanceDecisions.class);

    record Outcome(Decision decision) {
        boolean denied() {
            return !decision.allowed();
        }

        String description() {
            return Denials.description(decision);
        }
    }

    /**
     * Whether each decision's request goes into its event (and audit record) for replay: server option
     * {@code --spi-client-policy-executor--issuance-authorizer--capture-request}, on by default.
     */
    private static volatile boolean captureRequests = true;

    private IssuanceDecisions() {
    }

    public static void captureRequests(boolean capture) {
        captureRequests = capture;
    }

    public static boolean capturesRequests() {
        return captureRequests;
    }

    static Outcome decide(KeycloakSession session, IssuanceAuthorizerExecutor.PolicySource policy, IssuanceRequest request) {
        long started = System.nanoTime();
        DecisionSpan span = DecisionSpan.start(session, request);
        Decision decision;
        try {
            decision = policy.get().evaluate(request, KeycloakDecisionServices.forSession(session));
        } catch (PolicyValidationException e) {
            decision = policyError(request, e);
        } catch (RuntimeException e) {
            span.failed(e);
            throw e;
        }
        DecisionMetrics.get().record(request, decision, started);
        span.end(decision);
        RuleErrorLog.INSTANCE.report(request, decision);
        RequestLedger ledger = RequestLedger.of(session);
        ledger.decision().record(decision);
        if (captureRequests) {
            ledger.decision().recordRequest(request, decision);
        }
        recordNhi(ledger, request, true);
        if (decision.allowed()) {
            ledger.allowed(decision.obligations());
        } else if (LOG.isDebugEnabled()) {
            LOG.debugf("decision %s: deny %s by rule %s for client %s", decision.id(), decision.reason(),
                    decision.rule(), request.client().clientId());
        }
        return new Outcome(decision);
    }

    /**
     * Decides, before anyone has authenticated, with the rules that can (see PolicySet#beforeAuthentication): null
     * when no rule can decide yet. Only a refusal is recorded: an allow here mints nothing, and the event that reports
     * the issuance carries the token-time decision, which re-evaluates every rule (shadow ones included).
     */
    static Outcome decideBeforeAuthentication(KeycloakSession session, IssuanceAuthorizerExecutor.PolicySource policy,
                                              Supplier<IssuanceRequest> requests, Set<String> knownFacts) {
        long started = System.nanoTime();
        Decision decision;
        IssuanceRequest request;
        try {
            PolicySet early = policy.get().beforeAuthentication(knownFacts);
            if (early.size() == 0) {
                return null; // not even the request is built
            }
            request = requests.get();
            decision = evaluateEarly(session, early, request);
        } catch (PolicyValidationException e) {
            request = requests.get();
            DecisionSpan span = DecisionSpan.start(session, request);
            decision = policyError(request, e);
            span.end(decision);
        }
        RuleErrorLog.INSTANCE.report(request, decision);
        if (!decision.allowed()) {
            // Counted only when it refuses: an early allow is followed by the token-time decision, counted there.
            DecisionMetrics.get().record(request, decision, started);
            RequestLedger ledger = RequestLedger.of(session);
            ledger.decision().record(decision);
            recordNhi(ledger, request, false);
            if (LOG.isDebugEnabled()) {
                LOG.debugf("decision %s: front-channel deny %s by rule %s for client %s at %s", decision.id(),
                        decision.reason(), decision.rule(), request.client().clientId(), request.event());
            }
        }
        return new Outcome(decision);
    }

    private static Decision evaluateEarly(KeycloakSession session, PolicySet early, IssuanceRequest request) {
        DecisionSpan span = DecisionSpan.start(session, request);
        Decision decision;
        try {
            decision = early.evaluate(request);
        } catch (RuntimeException e) {
            span.failed(e);
            throw e;
        }
        span.end(decision);
        return decision;
    }

    /**
     * Saved policies are validated; one that fails here came in around validation (e.g. a raw DB edit): deny. The
     * finding's detail reaches the server log through {@link RuleErrorLog}, as an error.
     */
    private static Decision policyError(IssuanceRequest request, PolicyValidationException e) {
        return new Decision(io.mintgate.authorizer.policy.DecisionIds.next(), io.mintgate.authorizer.policy.Outcome.DENY,
                "policy_error", null, null, Mode.ENFORCE, "invalid", List.of(new RuleFinding(null, "policy_error",
                Mode.ENFORCE, true, "the policy cannot be used (does not compile, or its stored policy is gone): "
                + e.getMessage())), Obligations.NONE);
    }

    /**
     * The identity's owner, purpose and expiry go with every decision's event; its nearing expiry to the metrics,
     * when a token is being minted ({@code minting}).
     */
    private static void recordNhi(RequestLedger ledger, IssuanceRequest request, boolean minting) {
        NhiInfo nhi = request.nhi();
        if (nhi == null || nhi == NhiInfo.NONE) {
            return;
        }
        ledger.decision().record(nhi);
        if (minting && nhi.expiresAt() != null) {
            NhiExpiryMetrics.get().mint(request.realm(), request.client().clientId(), nhi.expiresAt(), request.time());
        }
    }

    /** Records what narrowing removed, for the event that reports this issuance. */
    public static void recordNarrowing(KeycloakSession session, String removed) {
        if (!removed.isEmpty()) {
            RequestLedger.of(session).decision().recordNarrowed(removed);
        }
    }

    /** True once any issuance-authorizer has decided (and allowed) in this request. */
    static boolean decided(KeycloakSession session) {
        return RequestLedger.of(session).allowedObligations() != null;
    }

    /** The combined obligations of every allow in this request, or null if nothing decided. */
    static Obligations obligations(KeycloakSession session) {
        return RequestLedger.of(session).allowedObligations();
    }
}
