package io.mintgate.authorizer.keycloak.context;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import io.mintgate.authorizer.policy.ActorInfo;
import io.mintgate.authorizer.policy.ClientInfo;
import io.mintgate.authorizer.policy.DeferredList;
import io.mintgate.authorizer.policy.DeferredMap;
import io.mintgate.authorizer.policy.AuthorizationDetails;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.NetworkInfo;
import io.mintgate.authorizer.policy.NhiInfo;
import io.mintgate.authorizer.policy.OrganizationInfo;
import io.mintgate.authorizer.policy.SubjectInfo;
import io.mintgate.authorizer.policy.WorkloadInfo;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.common.ClientConnection;
import org.keycloak.http.HttpRequest;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.dpop.DPoP;
import org.keycloak.services.util.DPoPUtil;
import org.keycloak.util.JsonSerialization;

/**
 * Turns what Keycloak knows about this token request into one {@link IssuanceRequest}. No policy logic here; only
 * data Keycloak has verified by the time the decision is taken enters the request.
 */
public final class IssuanceRequests {

    /** Client attributes that describe a non-human identity (documented in docs/nhi-lifecycle.md). */

    /**
     * Keycloak's federated client authentication (Kubernetes, SPIFFE and CI OIDC issuers alike): the only
     * authenticator whose assertion comes from, and was verified against, a workload identity provider. A client's
     * self-signed JWT (private_key_jwt) proves the client, not a workload, so it is not workload data.
     */
    private static final Set<String> FEDERATED_AUTHENTICATORS = Set.of("federated-jwt");

    private static final Logger LOG = Logger.getLogger(IssuanceRequests.class);

    private IssuanceRequests() {
    }

    /** What the token endpoint is about to mint, as far as this path knows it. */
    public record Mint(String event, String grantType, ClientModel client, UserModel user, AccessToken token,
                MultivaluedMap<String, String> params, ActorInfo actor, WorkloadInfo assertion) {

        public Mint(String event, String grantType, ClientModel client, UserModel user, AccessToken token,
             MultivaluedMap<String, String> params, ActorInfo actor) {
            this(event, grantType, client, user, token, params, actor, null);
        }
    }

    /**
     * The request for this client-policy event, built once: the issuance-context condition and every
     * issuance-authorizer at the same event see the same facts, and the owner, role and group lookups run once.
     */
    public static IssuanceRequest forEvent(KeycloakSession session, Mint mint) {
        RequestLedger ledger = RequestLedger.of(session);
        IssuanceRequest cached = ledger.request(mint.event());
        if (cached != null && cached.client().id().equals(mint.client() == null ? "" : mint.client().getId())) {
            return cached;
        }
        IssuanceRequest request = build(session, mint);
        ledger.keepRequest(mint.event(), request);
        return request;
    }

    public static IssuanceRequest build(KeycloakSession session, Mint mint) {
        RealmModel realm = session.getContext().getRealm();
        ClientModel client = mint.client();
        return new IssuanceRequest(
                realm.getName(),
                Instant.now(),
                mint.event(),
                grant(mint),
                client(client),
                subject(mint.user(), mint.token()),
                mint.actor(),
                network(session),
                mint.assertion() != null ? mint.assertion() : workload(client, mint.params()),
                organization(session, mint.token()),
                nhi(session, realm, client));
    }

    private static Grant grant(Mint mint) {
        List<String> scopes = mint.token() != null && mint.token().getScope() != null
                ? split(mint.token().getScope())
                : split(first(mint.params(), OAuth2Constants.SCOPE));
        List<String> audiences = mint.token() != null && mint.token().getAudience() != null
                ? Arrays.asList(mint.token().getAudience()) : List.of();
        List<String> resources = mint.params() == null ? List.of()
                : mint.params().getOrDefault("resource", List.of());
        return new Grant(mint.grantType(), scopes, audiences, resources,
                first(mint.params(), OAuth2Constants.REQUESTED_TOKEN_TYPE), authorizationDetails(mint));
    }

    /**
     * The request's RFC 9396 cells, parsed only when the parameter is there. A refresh does not read them: its
     * refresh token carries no cells to bound a new request by, so a refresh is never granted cells (see
     * docs/policy-reference.md, "Rich authorization requests").
     *
     * @throws InvalidAuthorizationDetails when the parameter is not an array of objects with a string type
     */
    private static List<Map<String, Object>> authorizationDetails(Mint mint) {
        String parameter = mint.params() == null ? null : mint.params().getFirst(OAuth2Constants.AUTHORIZATION_DETAILS);
        if (parameter == null || OAuth2Constants.REFRESH_TOKEN.equals(mint.grantType())) {
            return List.of();
        }
        try {
            return AuthorizationDetails.parse(parameter);
        } catch (AuthorizationDetails.Malformed e) {
            throw new InvalidAuthorizationDetails(e.getMessage());
        }
    }

    /**
     * A request whose {@code authorization_details} cannot be read: refused with RFC 9396 section 5's
     * {@value #ERROR}, never decided.
     */
    public static final class InvalidAuthorizationDetails extends RuntimeException {
        /** RFC 9396 section 5. */
        public static final String ERROR = "invalid_authorization_details";

        InvalidAuthorizationDetails(String message) {
            super(message, null, false, false);
        }
    }

    private static ClientInfo client(ClientModel client) {
        if (client == null) {
            return null;
        }
        // Role and scope lookups go through Keycloak's cache but still cost more than the whole policy: deferred.
        List<String> roles = DeferredList.of(() -> client.getRolesStream().map(RoleModel::getName).toList());
        List<String> scopes = DeferredList.of(() -> {
            List<String> all = new ArrayList<>(client.getClientScopes(true).keySet());
            all.addAll(client.getClientScopes(false).keySet());
            return all;
        });
        // Keycloak copies all of a client's attributes on every getAttributes(); a policy reads a few keys.
        Map<String, String> attributes = DeferredMap.ofKeyed(client::getAttribute, client::getAttributes);
        return new ClientInfo(client.getId(), client.getClientId(), client.getClientAuthenticatorType(),
                client.isPublicClient(), attributes, roles, scopes);
    }

    /** Roles come from the token when there is one: they are the effective roles that will be minted. */
    private static SubjectInfo subject(UserModel user, AccessToken token) {
        if (user == null) {
            return null;
        }
        List<String> realmRoles;
        Map<String, List<String>> clientRoles = new LinkedHashMap<>();
        if (token != null) {
            realmRoles = token.getRealmAccess() == null ? List.of() : List.copyOf(token.getRealmAccess().getRoles());
            if (token.getResourceAccess() != null) {
                token.getResourceAccess().forEach((clientId, access) -> clientRoles.put(clientId, List.copyOf(access.getRoles())));
            }
        } else {
            realmRoles = DeferredList.of(() -> user.getRealmRoleMappingsStream().map(RoleModel::getName).toList());
        }
        List<String> groups = DeferredList.of(() -> user.getGroupsStream().map(GroupModel::getName).toList());
        // Keycloak copies a user's attributes on every call and few policies read them: deferred.
        return new SubjectInfo(user.getId(), user.getUsername(), user.isEnabled(), user.getServiceAccountClientLink() != null,
                DeferredMap.ofMultimap(user::getAttributes), realmRoles, clientRoles, groups);
    }

    private static NetworkInfo network(KeycloakSession session) {
        ClientConnection connection = session.getContext().getConnection();
        String address = connection == null ? "" : connection.getRemoteAddr();
        String certThumbprint = "";
        HttpRequest request = session.getContext().getHttpRequest();
        // A plain-HTTP connection cannot carry a TLS client certificate; asking the server for one is not free. The
        // context's URI info keeps the request URI once built (the HTTP request's own builds it on every call).
        if (request != null && "https".equals(session.getContext().getUri().getRequestUri().getScheme())) {
            X509Certificate[] chain = request.getClientCertificateChain();
            if (chain != null && chain.length > 0) {
                certThumbprint = thumbprint(chain[0]);
            }
        }
        DPoP dpop = session.getAttribute(DPoPUtil.DPOP_SESSION_ATTRIBUTE, DPoP.class);
        return new NetworkInfo(address, certThumbprint, dpop == null ? "" : dpop.getThumbprint());
    }

    /**
     * The claims of the client assertion that Keycloak's client authenticator has already verified in this request
     * (federated workload identity: Kubernetes, SPIFFE, CI OIDC). Read back from the form because no Keycloak
     * context keeps the parsed assertion; never copied anywhere but the policy input.
     */
    private static WorkloadInfo workload(ClientModel client, MultivaluedMap<String, String> params) {
        if (client == null || params == null || !FEDERATED_AUTHENTICATORS.contains(client.getClientAuthenticatorType())) {
            return null;
        }
        String assertion = first(params, OAuth2Constants.CLIENT_ASSERTION);
        if (assertion.isEmpty()) {
            return null;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> claims = JsonSerialization.readValue(new JWSInput(assertion).getContent(), Map.class);
            return new WorkloadInfo(String.valueOf(claims.getOrDefault("iss", "")),
                    String.valueOf(claims.getOrDefault("sub", "")), claims);
        } catch (Exception e) {
            LOG.debugf("client assertion of %s could not be read back: %s", client.getClientId(), e.getClass().getSimpleName());
            return null;
        }
    }

    /**
     * The organization Keycloak resolved for this request; at the token endpoint Keycloak often has none in its
     * context, but the token being minted carries the one the organization scope granted: exactly one, or none.
     */
    private static OrganizationInfo organization(KeycloakSession session, AccessToken token) {
        OrganizationModel organization;
        try {
            organization = session.getContext().getOrganization();
        } catch (RuntimeException featureOff) {
            organization = null;
        }
        if (organization != null) {
            return new OrganizationInfo(organization.getId(), organization.getAlias());
        }
        Object claim = token == null || token.getOtherClaims() == null ? null : token.getOtherClaims().get("organization");
        java.util.Collection<?> aliases = claim instanceof Map<?, ?> map ? map.keySet()
                : claim instanceof java.util.Collection<?> list ? list : List.of();
        if (aliases.size() != 1) {
            return null;
        }
        String alias = String.valueOf(aliases.iterator().next());
        OrganizationModel byAlias = session.getProvider(org.keycloak.organization.OrganizationProvider.class) == null ? null
                : session.getProvider(org.keycloak.organization.OrganizationProvider.class).getByAlias(alias);
        return new OrganizationInfo(byAlias == null ? "" : byAlias.getId(), alias);
    }

    /**
     * Owner status is read live on every mint: a disabled or deleted owner must stop the very next token. The owner
     * is found by id only; a username would also match a new user who took the name of a deleted owner.
     */
    private static NhiInfo nhi(KeycloakSession session, RealmModel realm, ClientModel client) {
        if (client == null) {
            return null;
        }
        String owner = client.getAttribute(NhiAttributes.OWNER);
        String expiry = client.getAttribute(NhiAttributes.EXPIRES_AT);
        String purpose = client.getAttribute(NhiAttributes.PURPOSE);
        if (owner == null && expiry == null && purpose == null) {
            return null;
        }
        UserModel user = null;
        if (owner != null && !owner.isBlank()) {
            user = OwnerLookup.byId(session, realm, owner);
            if (user == null) {
                UnboundOwnerLog.noUser(realm, client, owner);
            }
        }
        return new NhiInfo(owner == null ? "" : owner, user == null ? "" : user.getUsername(), user != null,
                user != null && user.isEnabled(), parseInstant(expiry), purpose == null ? "" : purpose);
    }

    /** An unparsable expiry counts as already expired: fail closed, and the admin sees it in the decision. */
    private static Instant parseInstant(String value) {
        Instant parsed = NhiAttributes.parseExpiry(value);
        return parsed == NhiAttributes.UNPARSABLE ? Instant.EPOCH : parsed;
    }

    private static String thumbprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "";
        }
    }

    public static String first(MultivaluedMap<String, String> params, String name) {
        if (params == null) {
            return "";
        }
        String value = params.getFirst(name);
        return value == null ? "" : value;
    }

    static List<String> split(String scope) {
        return ScopeStrings.split(scope);
    }
}
