package io.mintgate.authorizer.keycloak.context;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.mintgate.authorizer.policy.ActorInfo;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.endpoints.request.AuthorizationEndpointRequest;
import org.keycloak.protocol.oidc.grants.ciba.clientpolicy.context.BackchannelAuthenticationRequestContext;
import org.keycloak.protocol.oidc.grants.device.clientpolicy.context.DeviceAuthorizationRequestContext;
import org.keycloak.protocol.oidc.par.clientpolicy.context.PushedAuthorizationRequestContext;
import org.keycloak.protocol.oidc.utils.OIDCResponseType;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyEvent;
import org.keycloak.services.clientpolicy.context.AuthorizationRequestContext;

/**
 * The requests that start a flow before anyone has authenticated: the authorization request (browser), the pushed
 * authorization request (RFC 9126), the device authorization request (RFC 8628) and the CIBA authentication request.
 * Here Mintgate knows the client and what it asks for, never the subject: what these events know, as a mint, and
 * which facts a rule may read to be decided here (docs/policy-reference.md, "Front-channel refusals").
 */
public final class FrontChannel {

    /**
     * Known at every front-channel event. grant.scopes is the requested scope plus the client's default scopes that
     * go into the token's scope, as at token time; audiences are computed only when the token is built; the
     * organization is chosen by the user at login; the workload assertion and DPoP proof that count are those of the
     * token request.
     */
    static final Set<String> BROWSER_FACTS = Set.of("realm", "now", "event", "grant.type", "grant.scopes",
            "grant.resources", "client", "nhi");
    /** The client itself calls PAR, device and CIBA endpoints: its source address is the one it will use for the token. */
    static final Set<String> CLIENT_CALL_FACTS = union(BROWSER_FACTS, "network.sourceAddress");

    private FrontChannel() {
    }

    /** The facts a rule may read to be decided at this event, or null if the event is not a front-channel request. */
    public static Set<String> knownFacts(ClientPolicyEvent event) {
        return switch (event) {
            // The browser's address is the user's, not the client's.
            case AUTHORIZATION_REQUEST -> BROWSER_FACTS;
            case PUSHED_AUTHORIZATION_REQUEST, DEVICE_AUTHORIZATION_REQUEST, BACKCHANNEL_AUTHENTICATION_REQUEST -> CLIENT_CALL_FACTS;
            default -> null;
        };
    }

    /** What a front-channel event knows, as a mint without subject or token; null for any other event. */
    public static IssuanceRequests.Mint mint(KeycloakSession session, ClientPolicyContext context) {
        String event = context.getEvent().name();
        if (context instanceof AuthorizationRequestContext c) {
            return mint(event, grantType(c.getParsedResponseType()), c.getClient(), c.getAuthorizationEndpointRequest(),
                    c.getRequestParameters());
        }
        if (context instanceof PushedAuthorizationRequestContext c) {
            return mint(event, grantType(c.getRequest().getResponseType()), c.getClient(), c.getRequest(),
                    c.getRequestParameters());
        }
        if (context instanceof DeviceAuthorizationRequestContext c) {
            return mint(event, OAuth2Constants.DEVICE_CODE_GRANT_TYPE, session.getContext().getClient(), c.getRequest(),
                    c.getRequestParameters());
        }
        if (context instanceof BackchannelAuthenticationRequestContext c) {
            ClientModel client = c.getParsedRequest().getClient() != null ? c.getParsedRequest().getClient()
                    : session.getContext().getClient();
            return new IssuanceRequests.Mint(event, OAuth2Constants.CIBA_GRANT_TYPE, client, null, null,
                    params(client, c.getParsedRequest().getScope(), List.of()), ActorInfo.NONE);
        }
        return null;
    }

    private static IssuanceRequests.Mint mint(String event, String grantType, ClientModel client,
                                              AuthorizationEndpointRequest request, MultivaluedMap<String, String> raw) {
        // A plain request carries every resource parameter; a request object or request_uri only the parsed one.
        List<String> resources = raw != null && raw.get(OIDCLoginProtocol.RESOURCE_PARAM) != null
                ? raw.get(OIDCLoginProtocol.RESOURCE_PARAM)
                : request.getResource() == null ? List.of() : List.of(request.getResource());
        return new IssuanceRequests.Mint(event, grantType, client, null, null,
                params(client, request.getScope(), resources), ActorInfo.NONE);
    }

    /**
     * Only what the request asks for, never its credentials: the workload assertion that counts is the one verified
     * at the token request, so no client_assertion is passed on.
     */
    private static MultivaluedMap<String, String> params(ClientModel client, String scope, List<String> resources) {
        MultivaluedMap<String, String> params = new MultivaluedHashMap<>();
        params.putSingle(OAuth2Constants.SCOPE, String.join(" ", scopes(client, scope)));
        if (!resources.isEmpty()) {
            params.put(OIDCLoginProtocol.RESOURCE_PARAM, List.copyOf(resources));
        }
        return params;
    }

    /** The token's scope will hold the requested scopes and the client's default scopes marked for it. */
    private static Set<String> scopes(ClientModel client, String requested) {
        Set<String> scopes = new LinkedHashSet<>();
        if (requested != null) {
            for (String scope : ScopeStrings.split(requested)) {
                if (!scope.isEmpty()) {
                    scopes.add(scope);
                }
            }
        }
        if (client != null) {
            client.getClientScopes(true).forEach((name, scope) -> {
                if (scope.isIncludeInTokenScope()) {
                    scopes.add(name);
                }
            });
        }
        return scopes;
    }

    /** response_type=code is the code grant; anything that mints at the authorization endpoint is decided as implicit. */
    private static String grantType(OIDCResponseType responseType) {
        return responseType != null && (responseType.hasResponseType(OIDCResponseType.TOKEN)
                || responseType.hasResponseType(OIDCResponseType.ID_TOKEN)) ? "implicit" : OAuth2Constants.AUTHORIZATION_CODE;
    }

    private static String grantType(String responseType) {
        try {
            return grantType(responseType == null ? null : OIDCResponseType.parse(responseType));
        } catch (IllegalArgumentException invalid) {
            return OAuth2Constants.AUTHORIZATION_CODE; // Keycloak rejects it right after this event
        }
    }

    private static Set<String> union(Set<String> facts, String fact) {
        Set<String> all = new LinkedHashSet<>(facts);
        all.add(fact);
        return Set.copyOf(all);
    }
}
