package io.mintgate.authorizer.keycloak.enforce;

import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;

/**
 * Keycloak gives the ID token the access token's {@code exp} when it builds it, before any token-response event or
 * post-processor narrows the access token's lifetime; the ID token must not outlive the narrowed access token.
 */
final class IdTokenLifetime {

    private IdTokenLifetime() {
    }

    /** Lowers (never raises) the ID token's {@code exp} to the access token's. */
    static void follow(IDToken id, AccessToken access) {
        if (id == null || access == null || access.getExp() == null || access.getExp() == 0) {
            return;
        }
        if (id.getExp() == null || id.getExp() == 0 || id.getExp() > access.getExp()) {
            id.exp(access.getExp());
        }
    }

    /** Keeps the ID token of this response for the post-processor, which narrows later and has no builder. */
    static void remember(KeycloakSession session, IDToken id) {
        if (id != null) {
            RequestLedger.of(session).rememberIdToken(id);
        }
    }

    /** Lets the remembered ID token (if any) follow the access token as the post-processor left it. */
    static void followRemembered(KeycloakSession session, AccessToken access) {
        IDToken id = RequestLedger.of(session).takeIdToken();
        if (id != null) {
            follow(id, access);
        }
    }
}
