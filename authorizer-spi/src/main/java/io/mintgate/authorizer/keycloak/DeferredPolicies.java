package io.mintgate.authorizer.keycloak;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.models.KeycloakSession;

/**
 * Policies whose client-policy event fired before Keycloak verified the subject (token exchange, JWT grant): they
 * are evaluated by the token post-processor of the same request, once the subject token or assertion is verified.
 */
final class DeferredPolicies {

    private static final String ATTRIBUTE = "mintgate.deferred";

    record Deferred(String event, IssuanceAuthorizerExecutor.PolicySource policy) {
    }

    private DeferredPolicies() {
    }

    @SuppressWarnings("unchecked")
    static void add(KeycloakSession session, String event, IssuanceAuthorizerExecutor.PolicySource policy) {
        List<Deferred> deferred = session.getAttribute(ATTRIBUTE, List.class);
        if (deferred == null) {
            deferred = new ArrayList<>();
            session.setAttribute(ATTRIBUTE, deferred);
        }
        deferred.add(new Deferred(event, policy));
    }

    /** Removes and returns what was deferred, so a second token build in the same request does not decide twice. */
    @SuppressWarnings("unchecked")
    static List<Deferred> take(KeycloakSession session) {
        List<Deferred> deferred = session.getAttribute(ATTRIBUTE, List.class);
        if (deferred == null) {
            return List.of();
        }
        session.removeAttribute(ATTRIBUTE);
        return deferred;
    }
}
