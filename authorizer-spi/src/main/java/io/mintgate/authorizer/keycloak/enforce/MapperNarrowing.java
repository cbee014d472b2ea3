package io.mintgate.authorizer.keycloak.enforce;

import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import io.mintgate.authorizer.policy.Obligations;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.AccessToken;

/**
 * The one door through which the stand-alone narrowing protocol mappers ({@code io.mintgate.authorizer.keycloak.mappers})
 * use the executor's narrowing: the access token is narrowed now, with the same primitives as an obligation, and the
 * same obligations stay pending for the token post-processor of this request, which narrows the refresh token and
 * carries them in it, so that a refresh never yields a broader token even if the mapper is later removed.
 */
public final class MapperNarrowing {

    private MapperNarrowing() {
    }

    /** Narrows {@code access} to {@code obligations} (only ever removes), records what was removed for the event. */
    public static void apply(KeycloakSession session, Obligations obligations, AccessToken access,
                             ClientSessionContext clientSessionCtx) {
        if (obligations == null || obligations.isEmpty() || access == null) {
            return;
        }
        IssuanceDecisions.recordNarrowing(session, Narrowing.apply(session, obligations, access, null, clientSessionCtx));
        RequestLedger.of(session).narrowLater(obligations);
    }

    /** Records a removal done outside {@link #apply} (e.g. a refresh token withheld from the response). */
    public static void recordRemoved(KeycloakSession session, String removed) {
        IssuanceDecisions.recordNarrowing(session, removed);
    }
}
