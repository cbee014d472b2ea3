package io.mintgate.authorizer.keycloak.handoff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.keycloak.enforce.IssuanceAuthorizerExecutor;
import io.mintgate.authorizer.keycloak.services.TakenBudgetUnits;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.Obligations;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransaction;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;

/**
 * Everything one token request's decision leaves for a later step of the same request, in one place: the
 * requests built per client-policy event, the decision details for the Keycloak event, the obligations of every
 * allow, policies deferred to the token post-processor, narrowing pending for it, budget units taken, context
 * claims awaiting the decision id, the access token a lifetime cap capped and the ID token that must follow it.
 *
 * <p>One ledger per {@link KeycloakSession}, kept as its only Mintgate attribute ({@link #of}) and emptied by one
 * after-completion transaction when that session's transaction ends (a rollback first gives the budget units back).
 * Keycloak sends error events from a fresh session on the same thread ({@code runJobInTransaction}), which cannot
 * see the request session's attributes: the event store and the listeners find the request's ledger through the
 * thread ({@link #onThisThread}), as long as the request's transaction is open.
 */
public final class RequestLedger {

    private static final String ATTRIBUTE = RequestLedger.class.getName();

    /** The ledger of the request this thread serves, for the steps that run in a session of their own. */
    private static final ThreadLocal<RequestLedger> ON_THIS_THREAD = new ThreadLocal<>();

    private final PendingDecision decision = new PendingDecision();
    private final TakenBudgetUnits budgetUnits = new TakenBudgetUnits();
    private final Map<String, IssuanceRequest> requestsByEvent = new HashMap<>(4);
    private Obligations allowed;
    private List<Deferred> deferred;
    private Obligations pendingNarrowing;
    private List<Map<String, Object>> pendingAuthorizationDetails;
    private List<Map<String, Object>> authorizationDetailsBound;
    private List<Map<String, Object>> awaitingDecisionId;
    private AccessToken cappedToken;
    private IDToken idToken;
    private List<Map<String, Object>> grantedAuthorizationDetails;

    /** A policy whose client-policy event fired before Keycloak verified the subject, and that event's name. */
    public record Deferred(String event, IssuanceAuthorizerExecutor.PolicySource policy) {
    }

    private RequestLedger() {
    }

    /** The ledger of {@code session}'s request, opened (and enlisted to be cleared) on first use. */
    public static RequestLedger of(KeycloakSession session) {
        RequestLedger ledger = session.getAttribute(ATTRIBUTE, RequestLedger.class);
        if (ledger == null) {
            ledger = new RequestLedger();
            session.setAttribute(ATTRIBUTE, ledger);
            // Only an open transaction ever ends and clears the thread: a ledger opened outside one stays local.
            if (ON_THIS_THREAD.get() == null && session.getTransactionManager().isActive()) {
                ON_THIS_THREAD.set(ledger);
            }
            session.getTransactionManager().enlistAfterCompletion(new ClearWhenDone(session, ledger));
        }
        return ledger;
    }

    /** The ledger of {@code session}'s request if a step already opened it, else null (opens nothing). */
    public static RequestLedger ifOpen(KeycloakSession session) {
        return session.getAttribute(ATTRIBUTE, RequestLedger.class);
    }

    /** The ledger of the request this thread serves, or null when none is open. */
    public static RequestLedger onThisThread() {
        return ON_THIS_THREAD.get();
    }

    /** The decision details waiting for the Keycloak event that reports this request. */
    public PendingDecision decision() {
        return decision;
    }

    /** The issuance budget units this request took, to give back if it ends without a token. */
    public TakenBudgetUnits budgetUnits() {
        return budgetUnits;
    }

    /** The request built at {@code event}, or null. */
    public IssuanceRequest request(String event) {
        return requestsByEvent.get(event);
    }

    public void keepRequest(String event, IssuanceRequest request) {
        requestsByEvent.put(event, request);
    }

    /** Adds the obligations of an allow: every allow of the request holds, so they intersect. */
    public void allowed(Obligations obligations) {
        allowed = allowed == null ? obligations : allowed.intersect(obligations);
    }

    /** The combined obligations of every allow in this request, or null if nothing allowed. */
    public Obligations allowedObligations() {
        return allowed;
    }

    public void defer(String event, IssuanceAuthorizerExecutor.PolicySource policy) {
        if (deferred == null) {
            deferred = new ArrayList<>();
        }
        deferred.add(new Deferred(event, policy));
    }

    /** Removes and returns what was deferred, so a second token build in the same request does not decide twice. */
    public List<Deferred> takeDeferred() {
        List<Deferred> taken = deferred == null ? List.of() : deferred;
        deferred = null;
        return taken;
    }

    /** Adds (intersects with what is already pending) obligations to apply when the token is built. */
    public void narrowLater(Obligations obligations) {
        if (obligations == null || obligations.isEmpty()) {
            return;
        }
        pendingNarrowing = pendingNarrowing == null ? obligations : pendingNarrowing.intersect(obligations);
    }

    /**
     * The RFC 9396 cells of a request decided before its token is built (the JWT authorization grant), for the
     * post-processor to grant under the pending obligations ({@code GrantedAuthorizationDetails}).
     */
    public void grantLater(List<Map<String, Object>> cells) {
        pendingAuthorizationDetails = cells;
    }

    /**
     * The cells a token exchange's subject token carries (the post-processor leaves them): no cell the exchanged token
     * is granted may ask for more than one of them ({@code GrantedAuthorizationDetails}).
     */
    public void boundAuthorizationDetails(List<Map<String, Object>> cells) {
        authorizationDetailsBound = cells;
    }

    /** The bound left by {@link #boundAuthorizationDetails}, or null when there is none. */
    public List<Map<String, Object>> authorizationDetailsBound() {
        return authorizationDetailsBound;
    }

    /** Removes and returns the cells left by {@link #grantLater}, or null. */
    public List<Map<String, Object>> takePendingAuthorizationDetails() {
        List<Map<String, Object>> taken = pendingAuthorizationDetails;
        pendingAuthorizationDetails = null;
        return taken;
    }

    /** Removes and returns the pending obligations, or null: a second token build in the request does not reapply. */
    public Obligations takePendingNarrowing() {
        Obligations taken = pendingNarrowing;
        pendingNarrowing = null;
        return taken;
    }

    /** Remembers a context-claims object (already in a token) that should carry the decision id. */
    public void awaitDecisionId(Map<String, Object> claims) {
        if (awaitingDecisionId == null) {
            awaitingDecisionId = new ArrayList<>(2);
        }
        awaitingDecisionId.add(claims);
    }

    /** Removes and returns the claims objects awaiting the decision id, or null. */
    public List<Map<String, Object>> takeAwaitingDecisionId() {
        List<Map<String, Object>> taken = awaitingDecisionId;
        awaitingDecisionId = null;
        return taken;
    }

    /** Keeps the access token a lifetime cap capped, for the response mapper that runs after signing. */
    public void capped(AccessToken token) {
        cappedToken = token;
    }

    public AccessToken cappedToken() {
        return cappedToken;
    }

    /**
     * The RFC 9396 cells Mintgate granted the access token from the request (left by {@code
     * GrantedAuthorizationDetails} after each allow, narrower each time), for the token response's
     * {@code authorization_details} member ({@code NarrowedTokenManager} takes them).
     */
    public void grantAuthorizationDetails(List<Map<String, Object>> cells) {
        grantedAuthorizationDetails = cells;
    }

    /** The cells granted so far in this request, or null when Mintgate granted none. */
    public List<Map<String, Object>> grantedAuthorizationDetails() {
        return grantedAuthorizationDetails;
    }

    /** Removes and returns the granted cells, or null: the response of a second token build does not repeat them. */
    public List<Map<String, Object>> takeGrantedAuthorizationDetails() {
        List<Map<String, Object>> taken = grantedAuthorizationDetails;
        grantedAuthorizationDetails = null;
        return taken;
    }

    public void rememberIdToken(IDToken token) {
        idToken = token;
    }

    /** Removes and returns the remembered ID token, or null. */
    public IDToken takeIdToken() {
        IDToken taken = idToken;
        idToken = null;
        return taken;
    }

    /** The decision id of this request's last decision, or null when none was taken (yet). */
    public String decisionId() {
        return decision.decisionId();
    }

    private static final class ClearWhenDone implements KeycloakTransaction {
        private final KeycloakSession session;
        private final RequestLedger ledger;

        ClearWhenDone(KeycloakSession session, RequestLedger ledger) {
            this.session = session;
            this.ledger = ledger;
        }

        @Override
        public void begin() {
        }

        @Override
        public void commit() {
            close();
        }

        @Override
        public void rollback() {
            try {
                // A server error rolls the request back: no token, so the units it took come back.
                ledger.budgetUnits.giveBack(session);
            } finally {
                close();
            }
        }

        private void close() {
            if (ON_THIS_THREAD.get() == ledger) {
                ON_THIS_THREAD.remove();
            }
            session.removeAttribute(ATTRIBUTE);
        }

        @Override
        public void setRollbackOnly() {
        }

        @Override
        public boolean getRollbackOnly() {
            return false;
        }

        @Override
        public boolean isActive() {
            return true;
        }
    }
}
