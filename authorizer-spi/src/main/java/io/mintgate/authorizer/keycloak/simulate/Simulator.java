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
import io.mintgate.authorizer.keycloak.enforce.IssuanceAuthorizerConfiguration;
import io.mintgate.authorizer.keycloak.enforce.Narrowing;
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
import org.keycloak.models.ClientModel;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.idm.ClientPolicyConditionRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyEvent;
import org.keycloak.util.JsonSerialization;
import org.keycloak.authentication.actiontoken.TokenUtils;

import jakarta.ws.rs.core.MultivaluedHashMap;

/**
 * What the live token path would decide for a hypothetical request, computed by the same parts: the access token
 * Keycloak would build (real mappers and client scopes, {@link ExampleTokens}), the request built from it by
 * {@link IssuanceRequests#build} (client, subject, owner looked up live), the client policies whose
 * {@code issuance-authorizer} executors apply (conditions judged as the inventory does, {@code issuance-context}
 * evaluated on the request), every policy evaluated by the engine with budgets read but not taken, and the
 * combined obligations applied to the token by {@link Narrowing}. Nothing is minted, counted or recorded.
 */
public final class Simulator {

    /**
     * The grants the simulator covers, with the event at which the live path decides each and what it builds the
     * request from. UMA and OID4VCI (decided without a client-policy event, from a ticket or a credential offer) are
     * not simulated.
     */
    private static final Map<String, Grant> GRANTS = Map.of(
            OAuth2Constants.CLIENT_CREDENTIALS, new Grant(GrantPath.CLIENT_CREDENTIALS, ClientPolicyEvent.SERVICE_ACCOUNT_TOKEN_RESPONSE),
            OAuth2Constants.PASSWORD, new Grant(GrantPath.PASSWORD, ClientPolicyEvent.RESOURCE_OWNER_PASSWORD_CREDENTIALS_RESPONSE),
            OAuth2Constants.AUTHORIZATION_CODE, new Grant(GrantPath.AUTHORIZATION_CODE, ClientPolicyEvent.TOKEN_RESPONSE),
            OAuth2Constants.REFRESH_TOKEN, new Grant(GrantPath.REFRESH_TOKEN, ClientPolicyEvent.TOKEN_REFRESH_RESPONSE),
            OAuth2Constants.DEVICE_CODE_GRANT_TYPE, new Grant(GrantPath.DEVICE_CODE, ClientPolicyEvent.DEVICE_TOKEN_RESPONSE),
            OAuth2Constants.CIBA_GRANT_TYPE, new Grant(GrantPath.CIBA, ClientPolicyEvent.BACKCHANNEL_TOKEN_RESPONSE),
            OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE, new Grant(GrantPath.TOKEN_EXCHANGE, ClientPolicyEvent.TOKEN_EXCHANGE_REQUEST),
            OAuth2Constants.JWT_AUTHORIZATION_GRANT, new Grant(GrantPath.JWT_AUTHORIZATION_GRANT, ClientPolicyEvent.JWT_AUTHORIZATION_GRANT));

    /** What a client's settings must say for it to use a grant, in the words of the answer's 400. */
    private static final Map<GrantPath, String> WHAT_OPENS = Map.of(
            GrantPath.CLIENT_CREDENTIALS, "service accounts are off or the client is public",
            GrantPath.PASSWORD, "direct access grants are off",
            GrantPath.AUTHORIZATION_CODE, "the standard flow is off",
            GrantPath.REFRESH_TOKEN, "refresh tokens are off",
            GrantPath.DEVICE_CODE, "the OAuth 2.0 device authorization grant is off",
            GrantPath.CIBA, "CIBA is off or the client is public",
            GrantPath.TOKEN_EXCHANGE, "standard token exchange is off or the client is public",
            GrantPath.JWT_AUTHORIZATION_GRANT, "the JWT authorization grant is off");

    private record Grant(GrantPath path, ClientPolicyEvent event) {
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
                    + " (other grants are not simulated yet), got " + grantType);
        }
        if (!GrantPaths.of(ClientSurfaceReader.read(realm, client, false)).contains(grant.path())) {
            throw new BadRequestException("grantType: client " + clientId + " cannot use " + grantType + ": "
                    + (client.isBearerOnly() ? "it is bearer-only" : WHAT_OPENS.get(grant.path())));
        }
        UserModel subject = subject(client, grant, body.get("subject"));
        IssuanceRequest stated = stated(body.get("context"));
        String scope = text(body, "scope");
        List<ClientModel> audience = audience(grant, body.get("audience"));
        PolicySet draft = draft(text(body, "policy"));
        boolean callPdps = body.path("callPdps").asBoolean(false);

        session.getContext().setClient(client);
        return ExampleTokens.with(session, realm, client, subject, scope == null ? "" : scope, audience, (token, clientSessionCtx) -> {
            MultivaluedHashMap<String, String> params = new MultivaluedHashMap<>();
            if (scope != null) {
                params.putSingle(OAuth2Constants.SCOPE, scope);
            }
            body.path("resource").forEach(r -> params.add("resource", r.asText()));
            audience.forEach(a -> params.add(OAuth2Constants.AUDIENCE, a.getClientId()));
            unavailableAudience(token, audience);
            IssuanceRequest request = request(IssuanceRequests.build(session, mint(grant, grantType, client, subject,
                    token, params, stated)), stated, assumed);

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
            AccessToken before = copy(token);
            String narrowed = "";
            if (deciding == null) {
                narrowed = Narrowing.apply(session, obligations, token, null, clientSessionCtx);
            }
            return SimulationJson.answer(request, deciding, evaluated, obligations, deciding == null ? token : null,
                    before, narrowed, refreshToken(client, grant.path(), obligations, deciding == null), callPdps,
                    draft != null);
        });
    }

    /**
     * The mint the live path decides on: at the JWT grant's event no token is built yet and the verified assertion
     * is the workload; a token exchange's actor is the requesting client.
     */
    private static IssuanceRequests.Mint mint(Grant grant, String grantType, ClientModel client, UserModel subject,
                                              AccessToken token, MultivaluedHashMap<String, String> params,
                                              IssuanceRequest stated) {
        return switch (grant.path()) {
            case JWT_AUTHORIZATION_GRANT -> new IssuanceRequests.Mint(grant.event().name(), grantType, client, subject,
                    null, params, ActorInfo.NONE, stated.workload());
            case TOKEN_EXCHANGE -> new IssuanceRequests.Mint(grant.event().name(), grantType, client, subject, token,
                    params, new ActorInfo(client.getClientId(), ""));
            default -> new IssuanceRequests.Mint(grant.event().name(), grantType, client, subject, token, params,
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

    /** Whether the response would carry a refresh token: Keycloak's setting for the grant, then the obligations. */
    private static boolean refreshToken(ClientModel client, GrantPath path, Obligations obligations, boolean allowed) {
        OIDCAdvancedConfigWrapper config = OIDCAdvancedConfigWrapper.fromClientModel(client);
        boolean keycloakIssues = path == GrantPath.CLIENT_CREDENTIALS ? config.isUseRefreshTokenForClientCredentialsGrant()
                : config.isUseRefreshToken();
        return allowed && keycloakIssues && obligations.refreshTokenAllowed();
    }

    private static AccessToken copy(AccessToken token) {
        try {
            return JsonSerialization.readValue(JsonSerialization.writeValueAsBytes(token), AccessToken.class);
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
