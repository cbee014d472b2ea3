package io.mintgate.authorizer.keycloak.mappers;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.representations.AccessToken;

/**
 * A mapper that only ever removes from the access token. It runs after every built-in mapper (Keycloak sorts mappers
 * by ascending priority; its own go up to 50, the script mapper), so it narrows what they added, and it applies
 * whatever the "add to access token" switches say: a narrowing that can be switched off by a checkbox is no limit.
 */
abstract class NarrowingMapper extends AbstractOIDCProtocolMapper implements OIDCAccessTokenMapper {

    /** After Keycloak's built-ins (sub -10, roles/audience 10..40, script 50) and after the context-claims mapper. */
    static final int PRIORITY = 100;

    static final String CATEGORY = "Mintgate narrowing";

    @Override
    public final String getDisplayCategory() {
        return CATEGORY;
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public final AccessToken transformAccessToken(AccessToken token, ProtocolMapperModel model, KeycloakSession session,
                                                  UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        if (token != null) {
            narrow(token, model, session, clientSessionCtx);
        }
        return token;
    }

    /** Narrows the access token being built (not yet signed) for this request. */
    abstract void narrow(AccessToken token, ProtocolMapperModel model, KeycloakSession session,
                         ClientSessionContext clientSessionCtx);
}
