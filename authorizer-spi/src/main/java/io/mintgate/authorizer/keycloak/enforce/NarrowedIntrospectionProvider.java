package io.mintgate.authorizer.keycloak.enforce;

import io.mintgate.authorizer.policy.Obligations;
import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProvider;
import org.keycloak.representations.AccessToken;

/**
 * RFC 7662 introspection of access tokens, answered by Keycloak's own provider and then narrowed to the token as
 * issued. Keycloak answers from a copy of the token's basic claims plus its introspection mappers, re-run now, so
 * without this a narrowed token's introspection would list the audiences and roles that narrowing removed. A token
 * that carries no narrowing is answered exactly as Keycloak answers it; one whose narrowing claim cannot be read is
 * reported inactive (fail closed). The answer carries the token's {@code authorization_details} (RFC 9396 section 9.2)
 * as the token has them, already narrowed when it was issued.
 */
public final class NarrowedIntrospectionProvider extends AccessTokenIntrospectionProvider<AccessToken> {

    private static final Logger LOG = Logger.getLogger(NarrowedIntrospectionProvider.class);

    private boolean unreadable;

    public NarrowedIntrospectionProvider(KeycloakSession session) {
        super(session);
    }

    @Override
    public AccessToken transformAccessToken(AccessToken issued, UserSessionModel userSession) {
        AccessToken answer = super.transformAccessToken(issued, userSession);
        if (answer != issued && issued.getAuthorizationDetails() != null) {
            // RFC 9396 section 9.2: the cells the token was granted, which Keycloak does not copy into its answer.
            answer.setAuthorizationDetails(issued.getAuthorizationDetails());
        }
        Obligations carried;
        try {
            carried = CarriedObligations.read(issued);
        } catch (CarriedObligations.Unreadable e) {
            LOG.debugf("introspection of token %s: its %s claim cannot be read (%s); answered inactive", issued.getId(),
                    CarriedObligations.CLAIM, e.getMessage());
            unreadable = true;
            return answer;
        }
        if (!carried.isEmpty()) {
            RederivedNarrowing.narrow(issued, answer, carried, !LightweightTokens.isLightweight(session, issued));
            RederivedNarrowing.expireWith(issued, answer);
        }
        return answer;
    }

    @Override
    protected boolean introspectionChecks(String tokenStr) {
        if (!super.introspectionChecks(tokenStr)) {
            return false;
        }
        if (!unreadable) {
            return true;
        }
        transformedToken = null; // Keycloak would otherwise still encode it for an application/jwt request
        eventBuilder.detail(Details.REASON, "the token's " + CarriedObligations.CLAIM + " claim cannot be read");
        eventBuilder.error(Errors.INVALID_TOKEN);
        return false;
    }
}
