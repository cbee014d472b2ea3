package io.mintgate.authorizer.keycloak.mappers;

import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.token.TokenPostProcessor;
import org.keycloak.protocol.oidc.token.TokenPostProcessorContext;

/**
 * Writes the decision id into the context-claims objects of this request's tokens. Mappers run when the token is
 * built, but the issuance-authorizer decides later on almost every path (at the token-response event, or in the
 * token post-processor), so the claim is filled in here, just before the tokens are signed. Runs after Mintgate's
 * issuance post-processor (lower order), which is where the last decisions are taken.
 */
final class DecisionIdClaims implements TokenPostProcessor {

    private final KeycloakSession session;

    DecisionIdClaims(KeycloakSession session) {
        this.session = session;
    }

    /** Remembers a context-claims object (already in a token) that should carry the decision id. */
    static void fillWhenDecided(KeycloakSession session, Map<String, Object> facts) {
        RequestLedger ledger = RequestLedger.of(session);
        String decided = ledger.decisionId();
        if (decided != null) {
            facts.put(ContextClaimsMapper.DECISION_ID, decided);
        }
        ledger.awaitDecisionId(facts);
    }

    @Override
    public void process(TokenPostProcessorContext context) {
        RequestLedger ledger = RequestLedger.of(session);
        List<Map<String, Object>> awaiting = ledger.takeAwaitingDecisionId();
        if (awaiting == null) {
            return;
        }
        String decisionId = ledger.decisionId();
        if (decisionId == null) {
            return;
        }
        for (Map<String, Object> facts : awaiting) {
            facts.put(ContextClaimsMapper.DECISION_ID, decisionId);
        }
    }

    @Override
    public void close() {
    }
}
