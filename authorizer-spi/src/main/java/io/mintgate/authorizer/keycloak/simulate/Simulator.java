package io.mintgate.authorizer.keycloak.simulate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.authorizer.keycloak.context.IssuanceRequests;
import io.mintgate.authorizer.keycloak.enforce.DecisionPlaces;
import io.mintgate.authorizer.keycloak.enforce.GrantedAuthorizationDetails;
import io.mintgate.authorizer.keycloak.enforce.IssuanceAuthorizerConfiguration;
import io.mintgate.authorizer.keycloak.enforce.IssuancePostProcessor;
import io.mintgate.authorizer.keycloak.enforce.Narrowing;
import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import io.mintgate.authorizer.keycloak.policies.RealmIssuancePolicies;
import io.mintgate.authorizer.keycloak.services.KeycloakDecisionServices;
import io.mintgate.authorizer.keycloak.surface.ClientSurfaceReader;
import io.mintgate.authorizer.keycloak.surface.PolicyCoverageReader;
import io.mintgate.authorizer.policy.ActorInfo;
import io.mintgate.authorizer.policy.Decision;
import io.mintgate.authorizer.policy.DecisionTrace;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.IssuanceRequestJson;
import io.mintgate.authorizer.policy.NhiInfo;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.PolicyCompiler;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyValidationException;
import io.mintgate.authorizer.simulate.DecisionJson;
import io.mintgate.authorizer.surface.GrantPath;
import io.mintgate.authorizer.surface.GrantPaths;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import org.keycloak.OAuth2Constants;
import org.keycloak.authorization.AuthorizationProvider;
import org.keycloak.models.oid4vci.CredentialScopeModel;
import org.keycloak.protocol.oid4vc.issuance.OID4VCIssuerWellKnownProvider;
import org.keycloak.protocol.oid4vc.utils.CredentialScopeUtils;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.RefreshToken;
import org.keycloak.representations.idm.ClientPolicyConditionRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyEvent;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.util.JsonSerialization;
import org.keycloak.util.TokenUtil;
import org.keycloak.authentication.actiontoken.TokenUtils;

import jakarta.ws.rs.core.MultivaluedHashMap;

/**
 * What the live token path would decide for a hypothetical request, computed by the same parts: the access token
 * Keycloak would build (real mappers and client scopes, {@link ExampleTokens}), the request built from it by
 * {@link IssuanceRequests#build} (client, subject, owner looked up live), the client policies whose
 * {@code issuance-authorizer} executors apply (conditions judged as the inventory does, {@code issuance-context}
 * evaluated on the request), every policy evaluated by the engine with budgets read but not taken, and the
 * combined obligations applied to the token by {@link Narrowing}, its RFC 9396 cells granted by
 * {@link GrantedAuthorizationDetails}. Nothing is minted, counted or recorded.
 */
public final class Simulator {

    /**
     * The grants the simulator covers, with the event at which the live path decides each (the request's
     * {@code event}). UMA and the OID4VCI pre-authorized code fire no client-policy event: the live path decides
     * them in the token build ({@link DecisionPlaces#atEventlessGrant}).
     */
    private static final Map<String, Grant> GRANTS = Map.of(
            OAuth2Constants.CLIENT_CREDENTIALS, new Grant(GrantPath.CLIENT_CREDENTIALS, ClientPolicyEvent.SERVICE_ACCOUNT_TOKEN_RESPONSE.name()),
            OAuth2Constants.PASSWORD, new Grant(GrantPath.PASSWORD, ClientPolicyEvent.RESOURCE_OWNER_PASSWORD_CREDENTIALS_RESPONSE.name()),
            OAuth2Constants.AUTHORIZATION_CODE, new Grant(GrantPath.AUTHORIZATION_CODE, ClientPolicyEvent.TOKEN_RESPONSE.name()),
            OAuth2Constants.REFRESH_TOKEN, new Grant(GrantPath.REFRESH_TOKEN, ClientPolicyEvent.TOKEN_REFRESH_RESPONSE.name()),
            OAuth2Constants.DEVICE_CODE_GRANT_TYPE, new Grant(GrantPath.DEVICE_CODE, ClientPolicyEvent.DEVICE_TOKEN_RESPONSE.name()),
            OAuth2Constants.CIBA_GRANT_TYPE, new Grant(GrantPath.CIBA, ClientPolicyEvent.BACKCHANNEL_TOKEN_RESPONSE.name()),
            OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE, new Grant(GrantPath.TOKEN_EXCHANGE, ClientPolicyEvent.TOKEN_EXCHANGE_REQUEST.name()),
            OAuth2Constants.JWT_AUTHORIZATION_GRANT, new Grant(GrantPath.JWT_AUTHORIZATION_GRANT, ClientPolicyEvent.JWT_AUTHORIZATION_GRANT.name()),
            OAuth2Constants.UMA_GRANT_TYPE, new Grant(GrantPath.UMA, DecisionPlaces.EVENTLESS_EVENT),
            IssuancePostProcessor.PRE_AUTHORIZED_CODE_GRANT_TYPE, new Grant(GrantPath.OID4VCI, DecisionPlaces.EVENTLESS_EVENT));

    /** What a client's settings must say for it to use a grant, in the words of the answer's 400. */
    private static final Map<GrantPath, String> WHAT_OPENS = Map.of(
            GrantPath.CLIENT_CREDENTIALS, "service accounts are off or the client is public",
            GrantPath.PASSWORD, "direct access grants are off",
            GrantPath.AUTHORIZATION_CODE, "the standard flow is off",
            GrantPath.REFRESH_TOKEN, "refresh tokens are off",
            GrantPath.DEVICE_CODE, "the OAuth 2.0 device authorization grant is off",
            GrantPath.CIBA, "CIBA is off or the client is public",
            GrantPath.TOKEN_EXCHANGE, "standard token exchange is off or the client is public",
            GrantPath.JWT_AUTHORIZATION_GRANT, "the JWT authorization grant is off",
            GrantPath.OID4VCI, "OID4VCI is off for the client (oid4vci.enabled)");

    private record Grant(GrantPath path, String event) {
    }

    private final KeycloakSession session;
    private final RealmModel realm;

    public Simulator(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** @throws BadRequestException naming the member at fault; NotFoundException for an unknown client or subject */
    public Map<String, Object> simulate(JsonNode body) {
        return simulate(body, UnaryOperator.identity());
    }

    /**
     * The same simulation with the identity's owner facts changed before the policies decide, as if the owner had
     * changed (e.g. been disabled): the question "what would the live path decide then", answered by the same parts.
     */
    public Map<String, Object> simulate(JsonNode body, UnaryOperator<NhiInfo> assumed) {
        // The context's client is the admin's (the console or a script); on the live path it is the requesting
        // client, which mappers and the policy request may read. Put back for the rest of the admin request.
        ClientModel adminClient = session.getContext().getClient();
        try {
            return simulateInRealm(body, assumed);
        } finally {
            session.getContext().setClient(adminClient);
        }
    }

    private Map<String, Object> simulateInRealm(JsonNode body, UnaryOperator<NhiInfo> assumed) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("the body must be a JSON object (docs/changing-policy.md)");
        }
        String clientId = text(body, "clientId");
        if (clientId == null) {
            throw new BadRequestException("clientId: required");
        }
        ClientModel client = realm.getClientByClientId(clientId);
        if (client == null) {
            throw new NotFoundException("clientId: no client '" + clientId + "' in realm " + realm.getName());
        }
        String grantType = text(body, "grantType");
        Grant grant = grantType == null ? null : GRANTS.get(grantType);
        if (grant == null) {
            throw new BadRequestException("grantType: one of " + GRANTS.keySet().stream().sorted().toList()
                    + ", got " + grantType);
        }
        // Any client may ask for an RPT; whether it gets one depends on the resource server it names.
        ClientModel resourceServer = grant.path() == GrantPath.UMA ? resourceServer(body.get("audience")) : null;
        if (grant.path() != GrantPath.UMA
                && !GrantPaths.of(ClientSurfaceReader.read(realm, client, false)).contains(grant.path())) {
            throw new BadRequestException("grantType: client " + clientId + " cannot use " + grantType + ": "
                    + (client.isBearerOnly() ? "it is bearer-only" : WHAT_OPENS.get(grant.path())));
        }
        UserModel subject = subject(client, grant, body.get("subject"));
        IssuanceRequest stated = stated(body.get("context"));
        String scope = text(body, "scope");
        String authorizationDetails = authorizationDetails(body.get("authorizationDetails"));
        List<ClientModel> audience = grant.path() == GrantPath.UMA ? List.of() : audience(grant, body.get("audience"));
        CredentialScopeModel credential = credential(grant, text(body, "credentialConfigurationId"));
        String requestedTokenType = requestedTokenType(client, grant, text(body, "requestedTokenType"));
        PolicySet draft = draft(text(body, "policy"));
        boolean callPdps = body.path("callPdps").asBoolean(false);

        session.getContext().setClient(client);
        ClientModel sessionClient = resourceServer != null ? resourceServer : client;
        // The pre-authorized code grant builds its token for scope openid, then sets the credential's scope.
        String tokenScope = credential != null ? OAuth2Constants.SCOPE_OPENID : scope == null ? "" : scope;
        return ExampleTokens.with(session, realm, client, sessionClient, subject, tokenScope, audience, (token, clientSessionCtx) -> {
            MultivaluedHashMap<String, String> params = new MultivaluedHashMap<>();
            if (scope != null && credential == null) {
                params.putSingle(OAuth2Constants.SCOPE, scope);
            }
            body.path("resource").forEach(r -> params.add("resource", r.asText()));
            if (authorizationDetails != null) {
                params.putSingle(OAuth2Constants.AUTHORIZATION_DETAILS, authorizationDetails);
            }
            audience.forEach(a -> params.add(OAuth2Constants.AUDIENCE, a.getClientId()));
            if (resourceServer != null) {
                params.putSingle(OAuth2Constants.AUDIENCE, resourceServer.getClientId());
            }
            if (requestedTokenType != null) {
                params.putSingle(OAuth2Constants.REQUESTED_TOKEN_TYPE, requestedTokenType);
            }
            unavailableAudience(token, audience);
            shapeAsTheGrantDoes(grant, token, resourceServer, credential);
            RefreshToken refresh = refreshToken(client, grant.path(), subject, requestedTokenType)
                    ? ExampleRefreshTokens.of(token, clientSessionCtx) : null;
            offlineAllowed(refresh, clientSessionCtx);
            IssuanceRequest request = request(live(mint(grant, grantType, client, subject, token, params, stated)),
                    stated, assumed);

            List<Map<String, Object>> evaluated = new ArrayList<>();
            Decision deciding = null;
            Obligations obligations = Obligations.NONE;
            for (Source source : sources(client, grant.path(), request, draft)) {
                DecisionTrace trace = source.broken() == null ? new DecisionTrace() : null;
                Decision decision = evaluate(source, request, callPdps, trace);
                Map<String, Object> extra = source.covering() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(source.covering());
                if (source.note() != null) {
                    extra.put("note", source.note());
                }
                evaluated.add(DecisionJson.policy(source.name(), extra, decision, trace));
                if (!decision.allowed()) {
                    deciding = deciding == null ? decision : deciding;
                } else {
                    obligations = obligations.intersect(decision.obligations());
                }
            }
            AccessToken before = copy(token, AccessToken.class);
            if (!request.grant().authorizationDetails().isEmpty()) {
                before.setAuthorizationDetails(GrantedAuthorizationDetails.representations(request.grant().authorizationDetails()));
            }
            RefreshToken refreshBefore = refresh == null ? null : copy(refresh, RefreshToken.class);
            String narrowed = "";
            if (deciding == null) {
                // in the order of the live path's token-response events: the cells granted, then the rest narrowed
                String granted = GrantedAuthorizationDetails.apply(session, request, obligations, token, refresh,
                        clientSessionCtx);
                // the cells are left for the token response on the live path; nothing is left for the admin's
                RequestLedger.of(session).takeGrantedAuthorizationDetails();
                narrowed = join(Narrowing.apply(session, obligations, token, refresh, clientSessionCtx), granted);
            }
            boolean issued = deciding == null && refresh != null && obligations.refreshTokenAllowed();
            if (deciding == null && refresh != null && !issued) {
                narrowed = (narrowed.isEmpty() ? "" : narrowed + ";") + refreshTokenRemoved(grant.path());
            }
            return SimulationJson.answer(request, deciding, evaluated, obligations, deciding == null ? token : null,
                    before, narrowed, issued ? refresh : null, refreshBefore, callPdps, draft != null);
        });
    }

    /**
     * The request as the live path builds it; an {@code authorization_details} parameter it cannot read (its
     * parser, {@link io.mintgate.authorizer.policy.AuthorizationDetails#parse}) is a 400 naming every cell and
     * member at fault, where the live path refuses with {@code invalid_authorization_details}.
     */
    private IssuanceRequest live(IssuanceRequests.Mint mint) {
        try {
            return IssuanceRequests.build(session, mint);
        } catch (IssuanceRequests.InvalidAuthorizationDetails e) {
            throw new BadRequestException("authorizationDetails: Keycloak would refuse the request ("
                    + IssuanceRequests.InvalidAuthorizationDetails.ERROR + "): " + e.getMessage());
        }
    }

    /**
     * The token request's {@code authorization_details} parameter (RFC 9396): the JSON array itself, or the
     * parameter's text as a string (sent as is, so that text that is no JSON is refused as the live path refuses it).
     */
    private static String authorizationDetails(JsonNode details) {
        if (details == null || details.isNull()) {
            return null;
        }
        return details.isTextual() ? details.asText() : details.toString();
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + ";" + b;
    }

    /**
     * What the grant does to the token after building it and before its token post-processors run (where the live
     * path decides UMA and OID4VCI): the RPT always names the resource server as an audience; the pre-authorized
     * code's token carries the credential's scope, no session, and the credential endpoint as its only audience.
     */
    private void shapeAsTheGrantDoes(Grant grant, AccessToken token, ClientModel resourceServer,
                                     CredentialScopeModel credential) {
        if (resourceServer != null && !token.hasAudience(resourceServer.getClientId())) {
            token.addAudience(resourceServer.getClientId());
        }
        if (grant.path() == GrantPath.OID4VCI) {
            token.setScope(credential.getName());
            token.setSessionId(null);
            token.audience(credentialEndpoint());
        }
    }

    /** Keycloak's own address of the credential endpoint, for this realm (the admin's context may be another). */
    private String credentialEndpoint() {
        RealmModel contextRealm = session.getContext().getRealm();
        try {
            session.getContext().setRealm(realm);
            return OID4VCIssuerWellKnownProvider.getCredentialsEndpoint(session.getContext());
        } finally {
            session.getContext().setRealm(contextRealm);
        }
    }

    /** UMA's {@code audience}: the resource server whose permissions are asked for (required, one client id). */
    private ClientModel resourceServer(JsonNode audience) {
        if (audience == null || audience.isNull() || audience.isArray() && audience.size() != 1) {
            throw new BadRequestException("audience: the resource server's client id is required for "
                    + OAuth2Constants.UMA_GRANT_TYPE);
        }
        String id = audience.isArray() ? audience.get(0).asText() : audience.asText();
        ClientModel target = realm.getClientByClientId(id);
        if (target == null) {
            throw new BadRequestException("audience: no client '" + id + "' in realm " + realm.getName());
        }
        AuthorizationProvider authz = session.getProvider(AuthorizationProvider.class);
        if (authz == null || authz.getStoreFactory().getResourceServerStore().findByClient(target) == null) {
            throw new BadRequestException("audience: client " + id + " is not a resource server (authorization "
                    + "services are off); Keycloak would refuse the request");
        }
        return target;
    }

    /** The pre-authorized code's credential, found as the live grant finds it: by its configuration id. */
    private CredentialScopeModel credential(Grant grant, String configurationId) {
        if (grant.path() != GrantPath.OID4VCI) {
            if (configurationId != null) {
                throw new BadRequestException("credentialConfigurationId: only for "
                        + IssuancePostProcessor.PRE_AUTHORIZED_CODE_GRANT_TYPE);
            }
            return null;
        }
        if (configurationId == null) {
            throw new BadRequestException("credentialConfigurationId: required for "
                    + IssuancePostProcessor.PRE_AUTHORIZED_CODE_GRANT_TYPE + " (the offer's credential_configuration_id)");
        }
        CredentialScopeModel scope = CredentialScopeUtils.findCredentialScopeModelByConfigurationId(realm,
                () -> session.clientScopes().getClientScopesStream(realm), configurationId);
        if (scope == null) {
            throw new BadRequestException("credentialConfigurationId: no credential client scope with configuration id '"
                    + configurationId + "' in realm " + realm.getName() + "; Keycloak would refuse the request");
        }
        return scope;
    }

    /**
     * How the live path records a refresh token the obligations forbid (mintgate_narrowed): dropped from the response
     * at a token-response event; expired at issuance in the token build (token exchange, UMA), which cannot drop it.
     */
    private static String refreshTokenRemoved(GrantPath path) {
        return path == GrantPath.TOKEN_EXCHANGE || path == GrantPath.UMA ? "refresh_token:expired" : "refresh_token:-";
    }

    /** Keycloak refuses an offline token to a user without the offline_access role before any policy decides. */
    private void offlineAllowed(RefreshToken refresh, ClientSessionContext clientSessionCtx) {
        if (refresh != null && TokenUtil.TOKEN_TYPE_OFFLINE.equals(refresh.getType())
                && !new UserSessionManager(session).isOfflineTokenAllowed(clientSessionCtx)) {
            throw new BadRequestException("scope: Keycloak would refuse the request (not_allowed): Offline tokens not "
                    + "allowed for the user or client");
        }
    }

    /**
     * A token exchange's {@code requested_token_type}; a refresh token is refused where Keycloak's standard exchange
     * refuses it: the client does not use refresh tokens or does not allow them on exchange.
     */
    private static String requestedTokenType(ClientModel client, Grant grant, String type) {
        if (type == null) {
            return null;
        }
        if (grant.path() != GrantPath.TOKEN_EXCHANGE) {
            throw new BadRequestException("requestedTokenType: only for " + OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE);
        }
        if (!OAuth2Constants.ACCESS_TOKEN_TYPE.equals(type) && !OAuth2Constants.REFRESH_TOKEN_TYPE.equals(type)) {
            throw new BadRequestException("requestedTokenType: " + OAuth2Constants.ACCESS_TOKEN_TYPE + " or "
                    + OAuth2Constants.REFRESH_TOKEN_TYPE + ", got " + type);
        }
        OIDCAdvancedConfigWrapper config = OIDCAdvancedConfigWrapper.fromClientModel(client);
        if (OAuth2Constants.REFRESH_TOKEN_TYPE.equals(type) && (!config.isUseRefreshToken()
                || config.getStandardTokenExchangeRefreshEnabled() == OIDCAdvancedConfigWrapper.TokenExchangeRefreshTokenEnabled.NO)) {
            throw new BadRequestException("requestedTokenType: Keycloak would refuse the exchange (invalid_request): "
                    + "requested_token_type unsupported (client " + client.getClientId() + " does not allow refresh "
                    + "tokens on token exchange)");
        }
        return type;
    }

    /**
     * The mint the live path decides on: at the JWT grant's event no token is built yet and the verified assertion
     * is the workload; a token exchange's actor is the requesting client.
     */
    private static IssuanceRequests.Mint mint(Grant grant, String grantType, ClientModel client, UserModel subject,
                                              AccessToken token, MultivaluedHashMap<String, String> params,
                                              IssuanceRequest stated) {
        return switch (grant.path()) {
            case JWT_AUTHORIZATION_GRANT -> new IssuanceRequests.Mint(grant.event(), grantType, client, subject,
                    null, params, ActorInfo.NONE, stated.workload());
            case TOKEN_EXCHANGE -> new IssuanceRequests.Mint(grant.event(), grantType, client, subject, token,
                    params, new ActorInfo(client.getClientId(), ""));
            default -> new IssuanceRequests.Mint(grant.event(), grantType, client, subject, token, params,
                    ActorInfo.NONE);
        };
    }

    /** A token exchange's {@code audience}: client ids of this realm (a string or an array). */
    private List<ClientModel> audience(Grant grant, JsonNode audience) {
        if (audience == null || audience.isNull()) {
            return List.of();
        }
        if (grant.path() != GrantPath.TOKEN_EXCHANGE) {
            throw new BadRequestException("audience: only for " + OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE);
        }
        List<ClientModel> clients = new ArrayList<>();
        for (JsonNode id : audience.isArray() ? audience : List.of(audience)) {
            ClientModel target = realm.getClientByClientId(id.asText());
            if (target == null) {
                throw new BadRequestException("audience: no client '" + id.asText() + "' in realm " + realm.getName());
            }
            clients.add(target);
        }
        return clients;
    }

    /** Keycloak refuses an exchange whose requested audience the built token does not reach; so does the simulator. */
    private static void unavailableAudience(AccessToken token, List<ClientModel> audience) {
        if (audience.isEmpty()) {
            return;
        }
        java.util.Set<String> missing = TokenUtils.checkRequestedAudiences(token,
                audience.stream().map(ClientModel::getClientId).toList());
        if (!missing.isEmpty()) {
            throw new BadRequestException("audience: Keycloak would refuse the exchange (invalid_request): Requested "
                    + "audience not available: " + String.join(", ", missing));
        }
    }

    private record Source(String name, Map<String, Object> covering, String note, PolicySet policy,
                          PolicyValidationException broken) {
    }

    private List<Source> sources(ClientModel client, GrantPath path, IssuanceRequest request, PolicySet draft) {
        List<Source> sources = new ArrayList<>();
        if (draft != null) {
            sources.add(new Source("draft", null, null, draft, null));
            return sources;
        }
        for (PolicyCoverageReader.Executor executor : PolicyCoverageReader.of(session, realm).executors(client, path)) {
            String note = null;
            if (!executor.covering().always()) {
                Boolean holds = contextConditionsHold(executor, request);
                if (Boolean.FALSE.equals(holds)) {
                    continue;
                }
                note = holds == null ? "a condition reads the request and is not evaluated by the simulator: taken to hold"
                        : "its issuance-context condition holds for this request";
            }
            Map<String, Object> covering = new LinkedHashMap<>();
            covering.put("clientPolicy", executor.covering().clientPolicy());
            covering.put("profile", executor.covering().profile());
            covering.put("storedPolicy", executor.covering().storedPolicy());
            String inline = executor.configuration() == null ? null
                    : executor.configuration().path(IssuanceAuthorizerConfiguration.POLICY).asText(null);
            try {
                PolicySet policy = IssuanceAuthorizerConfiguration.compiled(realm, inline, executor.covering().storedPolicy());
                sources.add(new Source(executor.covering().clientPolicy(), covering, note, policy, null));
            } catch (PolicyValidationException e) {
                sources.add(new Source(executor.covering().clientPolicy(), covering, note, null, e));
            }
        }
        return sources;
    }

    /**
     * False when an issuance-context condition rules the policy out for this request (evaluated as the live path's
     * eventless grants do); null when another condition reads the request, which the simulator does not evaluate.
     */
    private static Boolean contextConditionsHold(PolicyCoverageReader.Executor executor, IssuanceRequest request) {
        if (!RealmIssuancePolicies.conditionsHold(executor.clientPolicy(), request)) {
            return false;
        }
        boolean unevaluated = executor.clientPolicy().getConditions().stream()
                .map(ClientPolicyConditionRepresentation::getConditionProviderId)
                .anyMatch(type -> !"issuance-context".equals(type) && !PolicyCoverageReader.judgedWithoutRequest(type));
        return unevaluated ? null : true;
    }

    private Decision evaluate(Source source, IssuanceRequest request, boolean callPdps, DecisionTrace trace) {
        if (source.broken() != null) {
            return new Decision(null, io.mintgate.authorizer.policy.Outcome.DENY, "policy_error",
                    "the policy does not compile: " + source.broken().getMessage(), null, null, null, List.of(), null);
        }
        return source.policy().evaluate(request, KeycloakDecisionServices.dryRun(session, callPdps), trace);
    }

    /** The live request with the facts the hypothetical request states instead of the admin's own connection. */
    private static IssuanceRequest request(IssuanceRequest live, IssuanceRequest stated, UnaryOperator<NhiInfo> assumed) {
        return new IssuanceRequest(live.realm(), stated.time(), live.event(), live.grant(), live.client(),
                live.subject(), stated.actor().present() ? stated.actor() : live.actor(), stated.network(), stated.workload().present() ? stated.workload()
                : live.workload(), stated.organization().present() ? stated.organization() : live.organization(),
                assumed.apply(live.nhi()));
    }

    private static IssuanceRequest stated(JsonNode context) {
        if (context == null || context.isNull()) {
            return new IssuanceRequest(null, Instant.now(), null, null, null, null, null, null, null, null, null);
        }
        try {
            return IssuanceRequestJson.read(context, Instant.now());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("context: " + e.getMessage());
        }
    }

    private static PolicySet draft(String text) {
        if (text == null) {
            return null;
        }
        try {
            return PolicyCompiler.compile(text);
        } catch (PolicyValidationException e) {
            throw new BadRequestException("policy: the draft does not compile:\n" + e.getMessage());
        }
    }

    private UserModel subject(ClientModel client, Grant grant, JsonNode subject) {
        if (grant.path() == GrantPath.CLIENT_CREDENTIALS) {
            UserModel account = session.users().getServiceAccount(client);
            if (account == null) {
                throw new BadRequestException("grantType: client " + client.getClientId() + " has no service account");
            }
            return account;
        }
        String id = subject == null ? null : text(subject, "id");
        String username = subject == null ? null : text(subject, "username");
        String provider = subject == null ? null : text(subject, "identityProvider");
        String federated = subject == null ? null : text(subject, "federatedSubject");
        if (provider != null || federated != null) {
            // The JWT grant's live path finds the user by the assertion's issuer (identity provider) and subject.
            if (provider == null || federated == null) {
                throw new BadRequestException("subject: identityProvider and federatedSubject go together");
            }
            UserModel linked = session.users().getUserByFederatedIdentity(realm,
                    new FederatedIdentityModel(provider, federated, null));
            if (linked == null) {
                throw new NotFoundException("subject: no user linked to '" + federated + "' of identity provider "
                        + provider + " in realm " + realm.getName());
            }
            return linked;
        }
        UserModel user = id != null ? session.users().getUserById(realm, id)
                : username != null ? session.users().getUserByUsername(realm, username) : null;
        if (id == null && username == null) {
            throw new BadRequestException("subject: an id, a username, or identityProvider and federatedSubject is "
                    + "required for " + grant.path().wireName());
        }
        if (user == null) {
            throw new NotFoundException("subject: no user " + (id != null ? "with id " + id : "'" + username + "'")
                    + " in realm " + realm.getName());
        }
        return user;
    }

    /**
     * Whether Keycloak's grant would put a refresh token in the response, before the obligations: the client's
     * setting for the grant; never for the JWT authorization grant and the pre-authorized code; for a token exchange
     * only when one is asked for ({@code requested_token_type}, which the client must allow); for UMA when the
     * presented token has a user session, which a service account's token has not.
     */
    private static boolean refreshToken(ClientModel client, GrantPath path, UserModel subject, String requestedTokenType) {
        OIDCAdvancedConfigWrapper config = OIDCAdvancedConfigWrapper.fromClientModel(client);
        return switch (path) {
            case CLIENT_CREDENTIALS -> config.isUseRefreshTokenForClientCredentialsGrant();
            case JWT_AUTHORIZATION_GRANT, OID4VCI -> false;
            case TOKEN_EXCHANGE -> OAuth2Constants.REFRESH_TOKEN_TYPE.equals(requestedTokenType);
            case UMA -> config.isUseRefreshToken() && subject.getServiceAccountClientLink() == null;
            default -> config.isUseRefreshToken();
        };
    }

    private static <T> T copy(T token, Class<T> type) {
        try {
            return JsonSerialization.readValue(JsonSerialization.writeValueAsBytes(token), type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the example token could not be copied", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static List<String> scopes(AccessToken token) {
        return token.getScope() == null || token.getScope().isBlank() ? List.of()
                : Arrays.asList(token.getScope().trim().split("\\s+"));
    }
}
