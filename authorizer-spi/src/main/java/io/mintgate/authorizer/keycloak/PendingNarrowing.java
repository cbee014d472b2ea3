package io.mintgate.authorizer.keycloak;

import io.mintgate.authorizer.policy.Obligations;
import org.keycloak.models.KeycloakSession;

/**
 * Obligations of an allow taken at an event that comes before Keycloak builds the token and is followed by no
 * token-response event (the JWT authorization grant): the token post-processor of the same request applies them.
 * The stand-alone narrowing mappers leave theirs here too: mappers cannot reach the refresh token, the post-processor
 * narrows it and carries the obligations in it.
 */
final class PendingNarrowing {

    private static final String ATTRIBUTE = "mintgate.pending-narrowing";

    private PendingNarrowing() {
    }

    /** Adds (intersects with what is already pending) obligations to apply when the token is built. */
    static void add(KeycloakSession session, Obligations obligations) {
        if (obligations == null || obligations.isEmpty()) {
            return;
        }
        Obligations previous = session.getAttribute(ATTRIBUTE, Obligations.class);
        session.setAttribute(ATTRIBUTE, previous == null ? obligations : previous.intersect(obligations));
    }

    /** Removes and returns the pending obligations, or null: a second token build in the request does not reapply. */
    static Obligations take(KeycloakSession session) {
        Obligations pending = session.getAttribute(ATTRIBUTE, Obligations.class);
        if (pending != null) {
            session.removeAttribute(ATTRIBUTE);
        }
        return pending;
    }
}
