package io.mintgate.authorizer.keycloak.enforce;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import io.mintgate.authorizer.policy.AuthorizationDetailLimits;
import io.mintgate.authorizer.policy.AuthorizationDetails;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.Obligations;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AuthorizationDetailsJSONRepresentation;
import org.keycloak.representations.RefreshToken;
import org.keycloak.util.JsonSerialization;

/**
 * The RFC 9396 {@code authorization_details} an allowed access token carries. Keycloak 26.7.3 grants cells itself
 * only for the types it has a processor for (OID4VCI's {@code openid_credential}, on the authorization code and
 * pre-authorized code grants); for every other request with the parameter it puts nothing in the token. After an
 * allow, Mintgate grants the request's cells, narrowed by the allow's {@code keepAuthorizationDetail*} obligations
 * (RFC 9396 section 7: the token carries the authorization details as granted). Cells Keycloak itself put in the
 * token are narrowed the same way, never replaced. A later allow in the same request narrows what an earlier one
 * left, so several rules' obligations intersect. Costs nothing for a request without the parameter. The simulator
 * grants a hypothetical request's cells with the same {@link #apply}.
 */
public final class GrantedAuthorizationDetails {

    private static final TypeReference<List<Map<String, Object>>> CELLS = new TypeReference<>() {
    };

    private GrantedAuthorizationDetails() {
    }

    /**
     * Applies one allow to the access token (and, for cells Keycloak granted, to its refresh token and response).
     *
     * @return what was removed, for the audit trail ({@code mintgate_narrowed}); empty when nothing was
     */
    public static String apply(KeycloakSession session, IssuanceRequest request, Obligations obligations, AccessToken access,
                        RefreshToken refresh, ClientSessionContext clientSessionCtx) {
        return apply(session, request.grant().authorizationDetails(), obligations, access, refresh, clientSessionCtx);
    }

    /** The same for a request decided earlier, whose cells were left in the ledger (the JWT authorization grant). */
    static String apply(KeycloakSession session, List<Map<String, Object>> requested, Obligations obligations,
                        AccessToken access, RefreshToken refresh, ClientSessionContext clientSessionCtx) {
        if (access == null) {
            return "";
        }
        AuthorizationDetailLimits limits = obligations == null ? null : obligations.authorizationDetails();
        if (access.getAuthorizationDetails() == null && requested.isEmpty()) {
            return ""; // the common case: no parameter, no cells
        }
        RequestLedger ledger = RequestLedger.of(session);
        if (access.getAuthorizationDetails() == null) {
            List<Map<String, Object>> granted = AuthorizationDetails.narrow(within(requested, ledger), limits);
            access.setAuthorizationDetails(representations(granted));
            ledger.grantAuthorizationDetails(granted);
            return AuthorizationDetails.removed(requested, granted);
        }
        if (limits == null) {
            return "";
        }
        List<Map<String, Object>> before = cells(access.getAuthorizationDetails());
        List<Map<String, Object>> granted = AuthorizationDetails.narrow(before, limits);
        if (granted == before) {
            return "";
        }
        access.setAuthorizationDetails(representations(granted));
        if (ledger.grantedAuthorizationDetails() != null) {
            ledger.grantAuthorizationDetails(granted);
        } else {
            keycloaksOwnFollow(session, granted, refresh, clientSessionCtx);
        }
        return AuthorizationDetails.removed(before, granted);
    }

    /** The requested cells that a cell of the exchanged subject token covers, when it carries any. */
    private static List<Map<String, Object>> within(List<Map<String, Object>> requested, RequestLedger ledger) {
        List<Map<String, Object>> bound = ledger.authorizationDetailsBound();
        if (bound == null) {
            return requested;
        }
        List<Map<String, Object>> kept = new ArrayList<>(requested.size());
        for (Map<String, Object> cell : requested) {
            if (AuthorizationDetails.coveredByAny(cell, bound, null)) {
                kept.add(cell);
            }
        }
        return kept;
    }

    /** Keycloak's own cells are also in its refresh token and, through the client session context, its response. */
    private static void keycloaksOwnFollow(KeycloakSession session, List<Map<String, Object>> granted, RefreshToken refresh,
                                           ClientSessionContext clientSessionCtx) {
        if (refresh != null && refresh.getAuthorizationDetails() != null) {
            refresh.setAuthorizationDetails(representations(granted));
        }
        ClientSessionContext context = clientSessionCtx != null ? clientSessionCtx
                : session.getAttribute(ClientSessionContext.class.getName(), ClientSessionContext.class);
        if (context != null && context.getAttribute(Constants.AUTHORIZATION_DETAILS_RESPONSE, List.class) != null) {
            context.setAttribute(Constants.AUTHORIZATION_DETAILS_RESPONSE, representations(granted));
        }
    }

    public static List<AuthorizationDetailsJSONRepresentation> representations(List<Map<String, Object>> cells) {
        List<AuthorizationDetailsJSONRepresentation> out = new ArrayList<>(cells.size());
        for (Map<String, Object> cell : cells) {
            out.add(JsonSerialization.mapper.convertValue(cell, AuthorizationDetailsJSONRepresentation.class));
        }
        return out;
    }

    private static List<Map<String, Object>> cells(List<AuthorizationDetailsJSONRepresentation> representations) {
        return JsonSerialization.mapper.convertValue(representations, CELLS);
    }
}
