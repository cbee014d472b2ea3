package io.mintgate.authorizer.keycloak.context;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.mintgate.authorizer.policy.ActorInfo;
import io.mintgate.authorizer.policy.WorkloadInfo;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.JWTAuthorizationGrantValidationContext;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.ciba.clientpolicy.context.BackchannelTokenResponseContext;
import org.keycloak.protocol.oidc.grants.device.clientpolicy.context.DeviceTokenResponseContext;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyEvent;
import org.keycloak.services.clientpolicy.context.ClientModelContext;
import org.keycloak.services.clientpolicy.context.ImplicitHybridTokenResponse;
import org.keycloak.services.clientpolicy.context.JWTAuthorizationGrantContext;
import org.keycloak.services.clientpolicy.context.ResourceOwnerPasswordCredentialsResponseContext;
import org.keycloak.services.clientpolicy.context.ServiceAccountTokenResponseContext;
import org.keycloak.services.clientpolicy.context.TokenRefreshResponseContext;
import org.keycloak.services.clientpolicy.context.TokenResponseContext;

/**
 * What each client-policy event knows about the token being minted. Token-response events know everything (the
 * verified subject and the built, unsigned token); every other event knows at least the client and the request.
 */
public final class EventMints {

    private EventMints() {
    }

    /** What a token-response event carries: the mint to decide on and the builder of its (unsigned) tokens. */
    public record TokenResponse(IssuanceRequests.Mint mint, TokenManager.AccessTokenResponseBuilder builder) {
    }

    /** The events {@link #atTokenResponse} answers; for every other event it returns null. */
    public static final Set<ClientPolicyEvent> TOKEN_RESPONSE_EVENTS = Collections.unmodifiableSet(EnumSet.of(
            ClientPolicyEvent.SERVICE_ACCOUNT_TOKEN_RESPONSE, ClientPolicyEvent.TOKEN_RESPONSE,
            ClientPolicyEvent.TOKEN_REFRESH_RESPONSE, ClientPolicyEvent.RESOURCE_OWNER_PASSWORD_CREDENTIALS_RESPONSE,
            ClientPolicyEvent.DEVICE_TOKEN_RESPONSE, ClientPolicyEvent.BACKCHANNEL_TOKEN_RESPONSE,
            ClientPolicyEvent.IMPLICIT_HYBRID_TOKEN_RESPONSE));

    /** The mint and builder at a token-response event, or null for events that mint nothing yet. */
    public static TokenResponse atTokenResponse(ClientPolicyContext context) {
        String event = context.getEvent().name();
        return switch (context.getEvent()) {
            case SERVICE_ACCOUNT_TOKEN_RESPONSE -> {
                ServiceAccountTokenResponseContext c = (ServiceAccountTokenResponseContext) context;
                yield mint(event, OAuth2Constants.CLIENT_CREDENTIALS, c.getClientSession(), c.getAccessTokenResponseBuilder(), c.getParams());
            }
            case TOKEN_RESPONSE -> {
                TokenResponseContext c = (TokenResponseContext) context;
                yield mint(event, OAuth2Constants.AUTHORIZATION_CODE, c.getClientSession(), c.getAccessTokenResponseBuilder(), c.getParams());
            }
            case TOKEN_REFRESH_RESPONSE -> {
                TokenRefreshResponseContext c = (TokenRefreshResponseContext) context;
                yield mint(event, OAuth2Constants.REFRESH_TOKEN, c.getClientSession(), c.getAccessTokenResponseBuilder(), c.getParams());
            }
            case RESOURCE_OWNER_PASSWORD_CREDENTIALS_RESPONSE -> {
                ResourceOwnerPasswordCredentialsResponseContext c = (ResourceOwnerPasswordCredentialsResponseContext) context;
                yield mint(event, OAuth2Constants.PASSWORD, c.getClientSessionContext().getClientSession(),
                        c.getAccessTokenResponseBuilder(), c.getParams());
            }
            case DEVICE_TOKEN_RESPONSE -> {
                DeviceTokenResponseContext c = (DeviceTokenResponseContext) context;
                yield mint(event, OAuth2Constants.DEVICE_CODE_GRANT_TYPE, c.getClientSession(),
                        c.getAccessTokenResponseBuilder(), c.getRequestParameters());
            }
            case BACKCHANNEL_TOKEN_RESPONSE -> {
                BackchannelTokenResponseContext c = (BackchannelTokenResponseContext) context;
                yield mint(event, OAuth2Constants.CIBA_GRANT_TYPE, c.getClientSessionContext().getClientSession(),
                        c.getAccessTokenResponseBuilder(), c.getRequestParameters());
            }
            case IMPLICIT_HYBRID_TOKEN_RESPONSE -> {
                ImplicitHybridTokenResponse c = (ImplicitHybridTokenResponse) context;
                yield mint(event, "implicit", c.getClientSessionContext().getClientSession(),
                        c.getAccessTokenResponseBuilder(), null);
            }
            default -> null;
        };
    }

    /**
     * The JWT authorization grant (RFC 7523) at its client-policy event: Keycloak has verified the assertion and
     * resolved its subject to a user (by federated identity) but built no token yet. The verified assertion's claims
     * are the request's workload facts.
     */
    public static IssuanceRequests.Mint atJwtAuthorizationGrant(KeycloakSession session, JWTAuthorizationGrantContext context) {
        JWTAuthorizationGrantValidationContext grant = context.getAuthorizationGrantContext();
        RealmModel realm = session.getContext().getRealm();
        UserModel user = session.users().getUserByFederatedIdentity(realm,
                new FederatedIdentityModel(context.getIdentityProviderAlias(), grant.getSubject(), null));
        Map<String, Object> claims = new LinkedHashMap<>(grant.getJWT().getOtherClaims());
        putIfPresent(claims, "iss", grant.getJWT().getIssuer());
        putIfPresent(claims, "sub", grant.getJWT().getSubject());
        putIfPresent(claims, "aud", grant.getJWT().getAudience() == null ? null : List.of(grant.getJWT().getAudience()));
        putIfPresent(claims, "exp", grant.getJWT().getExp());
        putIfPresent(claims, "jti", grant.getJWT().getId());
        return new IssuanceRequests.Mint(context.getEvent().name(), OAuth2Constants.JWT_AUTHORIZATION_GRANT,
                context.getClient(), user, null, formOf(session), ActorInfo.NONE,
                new WorkloadInfo(grant.getIssuer(), grant.getSubject(), claims));
    }

    private static void putIfPresent(Map<String, Object> claims, String name, Object value) {
        if (value != null) {
            claims.put(name, value);
        }
    }

    /**
     * What any event knows: the full mint at token responses, the client and what it asks for at front-channel
     * requests, otherwise the client and the request's form.
     */
    static IssuanceRequests.Mint atAnyEvent(KeycloakSession session, ClientPolicyContext context) {
        if (context instanceof JWTAuthorizationGrantContext jwtGrant) {
            return atJwtAuthorizationGrant(session, jwtGrant);
        }
        TokenResponse full = atTokenResponse(context);
        if (full != null) {
            return full.mint();
        }
        IssuanceRequests.Mint front = FrontChannel.mint(session, context);
        if (front != null) {
            return front;
        }
        ClientModel client = context instanceof ClientModelContext c ? c.getClient() : session.getContext().getClient();
        MultivaluedMap<String, String> form = formOf(session);
        String grantType = IssuanceRequests.first(form, OAuth2Constants.GRANT_TYPE);
        return new IssuanceRequests.Mint(context.getEvent().name(), grantType, client, null, null, form, ActorInfo.NONE);
    }

    private static TokenResponse mint(String event, String grantType, AuthenticatedClientSessionModel clientSession,
                                      TokenManager.AccessTokenResponseBuilder builder,
                                      MultivaluedMap<String, String> params) {
        UserModel user = clientSession.getUserSession() == null ? null : clientSession.getUserSession().getUser();
        return new TokenResponse(new IssuanceRequests.Mint(event, grantType, clientSession.getClient(), user,
                builder.getAccessToken(), params, ActorInfo.NONE), builder);
    }

    /** The form of a POST (token endpoint), or nothing for front-channel GETs. */
    public static MultivaluedMap<String, String> formOf(KeycloakSession session) {
        try {
            var request = session.getContext().getHttpRequest();
            return request == null ? null : request.getDecodedFormParameters();
        } catch (RuntimeException notAForm) {
            return null;
        }
    }
}
