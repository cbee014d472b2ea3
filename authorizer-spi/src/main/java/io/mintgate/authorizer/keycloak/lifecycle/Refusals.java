package io.mintgate.authorizer.keycloak.lifecycle;

import jakarta.ws.rs.core.Response;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.clientpolicy.ClientPolicyException;

/**
 * How a refused creation or change reaches the caller. The admin REST API turns a ClientPolicyException into a 400
 * with its error and description, as wanted. Dynamic client registration turns one thrown at REGISTER/UPDATE into
 * 403 insufficient_scope, which is not RFC 7591's answer to bad metadata (section 3.2.2: 400 invalid_client_metadata);
 * there the refusal is thrown as the 400 itself, and the CLIENT_REGISTER_ERROR / CLIENT_UPDATE_ERROR event Keycloak
 * would have sent for a client-policy refusal is sent here, with the same details, so the refusal is audited.
 */
final class Refusals {

    /** RFC 7591 section 3.2.2. */
    static final String INVALID_CLIENT_METADATA = "invalid_client_metadata";

    private Refusals() {
    }

    static ClientPolicyException forAdmin(String description) {
        return new ClientPolicyException(INVALID_CLIENT_METADATA, description, Response.Status.BAD_REQUEST);
    }

    /** Sends the registration error event (its own transaction: it survives the request's rollback) and answers 400. */
    static ErrorResponseException forRegistration(KeycloakSession session, boolean update, String clientId,
                                                  String description) {
        RealmModel realm = session.getContext().getRealm();
        EventBuilder event = session.getContext().getConnection() == null ? new EventBuilder(realm, session)
                : new EventBuilder(realm, session, session.getContext().getConnection());
        event.event(update ? EventType.CLIENT_UPDATE : EventType.CLIENT_REGISTER);
        if (clientId != null && !clientId.isBlank()) {
            event.client(clientId);
        }
        event.detail(Details.REASON, Details.CLIENT_POLICY_ERROR)
                .detail(Details.CLIENT_POLICY_ERROR, INVALID_CLIENT_METADATA)
                .detail(Details.CLIENT_POLICY_ERROR_DETAIL, description)
                .error(INVALID_CLIENT_METADATA);
        return new ErrorResponseException(INVALID_CLIENT_METADATA, description, Response.Status.BAD_REQUEST);
    }
}
