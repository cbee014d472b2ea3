package io.mintgate.authorizer.keycloak.lifecycle;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.mintgate.authorizer.keycloak.context.NhiAttributes;
import io.mintgate.authorizer.keycloak.context.OwnerLookup;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.AdminClientRegisterContext;
import org.keycloak.services.clientpolicy.context.ClientCRUDContext;
import org.keycloak.services.clientpolicy.context.DynamicClientRegisterContext;
import org.keycloak.services.clientpolicy.context.DynamicClientUpdateContext;
import org.keycloak.services.clientpolicy.context.ServiceAccountTokenRequestContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

/**
 * Identity issuance controls: reviews every creation and change of a client (admin REST API, admin console,
 * kcadm, dynamic client registration) before Keycloak saves it, and keeps service accounts to their allowed roles
 * at the only point Keycloak lets a policy act on them, the client-credentials grant.
 */
public final class IssuanceControlsExecutor implements ClientPolicyExecutorProvider<IssuanceControlsConfiguration> {

    private static final Logger LOG = Logger.getLogger(IssuanceControlsExecutor.class);
    /** RFC 6749 has no better code for "this client may not have a token with these roles". */
    static final String ACCESS_DENIED = "access_denied";

    private final KeycloakSession session;
    private IssuanceControlsConfiguration configuration;

    IssuanceControlsExecutor(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void setupConfiguration(IssuanceControlsConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Class<IssuanceControlsConfiguration> getExecutorConfigurationClass() {
        return IssuanceControlsConfiguration.class;
    }

    @Override
    public String getProviderId() {
        return IssuanceControlsExecutorFactory.PROVIDER_ID;
    }

    @Override
    public void executeOnEvent(ClientPolicyContext context) throws ClientPolicyException {
        switch (context.getEvent()) {
            case REGISTER, UPDATE -> reviewChange((ClientCRUDContext) context);
            case SERVICE_ACCOUNT_TOKEN_REQUEST -> checkServiceAccountRoles((ServiceAccountTokenRequestContext) context);
            default -> {
            }
        }
    }

    private ControlSettings settings() {
        return (configuration == null ? new IssuanceControlsConfiguration() : configuration).settings();
    }

    /** The proposed representation is what Keycloak will save: strips are applied to it, refusals stop the save. */
    private void reviewChange(ClientCRUDContext context) throws ClientPolicyException {
        ClientRepresentation rep = context.getProposedClientRepresentation();
        if (rep == null) {
            return;
        }
        RealmModel realm = session.getContext().getRealm();
        ClientModel target = context.getTargetClient();
        ProposedIdentity before = target == null ? null : ProposedIdentities.of(target);
        ProposedIdentity after = ProposedIdentities.of(rep, target);
        ControlSettings settings = settings();
        Instant now = Instant.now();
        boolean adminCreate = target == null && context instanceof AdminClientRegisterContext;
        OwnerDirectory.Owner creator = adminCreate ? creator(context, realm) : null;
        Map<String, String> filled = adminCreate
                ? CreatorDefaults.fill(settings, after, rep.getDescription(), creator, now) : Map.of();
        if (!filled.isEmpty()) {
            Map<String, String> attributes = rep.getAttributes() == null ? new HashMap<>() : new HashMap<>(rep.getAttributes());
            attributes.putAll(filled);
            rep.setAttributes(attributes);
            after = ProposedIdentities.of(rep, null);
        }
        IssuanceControls.Review review = IssuanceControls.review(settings, before, after, owners(realm), now);
        boolean registration = context instanceof DynamicClientRegisterContext || context instanceof DynamicClientUpdateContext;
        if (review.refused()) {
            String description = adminCreate && fromKeycloaksConsole(context)
                    ? wizardDescription(review, settings, creator != null, context.getAuthenticatedClient().getRealm(), realm)
                    : review.description();
            LOG.infof("refused %s of client '%s' in realm %s (%s): %s", target == null ? "creation" : "change",
                    after.clientId(), realm.getName(), registration ? "client registration" : "admin API", description);
            if (registration) {
                throw Refusals.forRegistration(session, target != null, target == null ? rep.getClientId()
                        : target.getClientId(), description + registrationHint(review));
            }
            throw Refusals.forAdmin(description);
        }
        if (review.ownerId() != null && rep.getAttributes() != null && rep.getAttributes().containsKey(NhiAttributes.OWNER)) {
            // Saved as the person's id, so that a rename keeps the ownership and a new user with the name gets none.
            rep.getAttributes().put(NhiAttributes.OWNER, review.ownerId());
        }
        if (!filled.isEmpty()) {
            // The admin event (and so the audit record) carries the client as saved, owner included.
            LOG.infof("creation of client '%s' in realm %s (admin API) without %s: taken from the creator (%s)",
                    after.clientId(), realm.getName(), String.join(", ", filled.keySet()), filledFrom(filled, creator));
        }
        for (ControlledGrant grant : review.stripped()) {
            ProposedIdentities.strip(rep, grant);
            LOG.debugf("stripped %s from client '%s' in realm %s", grant.field(), after.clientId(), realm.getName());
        }
    }

    /**
     * The creating admin when they are a person of this realm: signed in to this realm (an admin's token is of the
     * realm they are a user of) and not a service account. Never by username: an admin of master named like a user
     * of this realm is not that user.
     */
    private static OwnerDirectory.Owner creator(ClientCRUDContext context, RealmModel realm) {
        UserModel admin = context.getAuthenticatedUser();
        ClientModel signedInWith = context.getAuthenticatedClient();
        if (admin == null || signedInWith == null || !realm.getId().equals(signedInWith.getRealm().getId())
                || admin.getServiceAccountClientLink() != null) {
            return null;
        }
        return new OwnerDirectory.Owner(admin.getId(), admin.getUsername(), admin.isEnabled());
    }

    private static String filledFrom(Map<String, String> filled, OwnerDirectory.Owner creator) {
        List<String> from = new java.util.ArrayList<>();
        if (filled.containsKey(NhiAttributes.OWNER)) {
            from.add("owner: the creating admin " + creator.username() + ", " + creator.id());
        }
        if (filled.containsKey(NhiAttributes.PURPOSE)) {
            from.add("purpose: its description");
        }
        if (filled.containsKey(NhiAttributes.EXPIRES_AT)) {
            from.add("expiry: now + max-lifetime, " + filled.get(NhiAttributes.EXPIRES_AT));
        }
        return String.join("; ", from);
    }

    /** Keycloak's own admin console signs its admins in through its {@code security-admin-console} client. */
    private static boolean fromKeycloaksConsole(ClientCRUDContext context) {
        ClientModel client = context.getAuthenticatedClient();
        return client != null && Constants.ADMIN_CONSOLE_CLIENT_ID.equals(client.getClientId());
    }

    /**
     * The refusal for Keycloak's Create client wizard, which cannot send what is missing: each missing attribute
     * says what the admin can do instead.
     */
    private String wizardDescription(IssuanceControls.Review review, ControlSettings settings, boolean creatorIsPerson,
                                     RealmModel signedInTo, RealmModel realm) {
        String adminRealm = signedInTo.getName();
        String page = session.getContext().getUri().getBaseUriBuilder().path("realms").path(adminRealm)
                .path("mintgate-console/").build() + "?realm=" + realm.getName() + "#identities";
        String elsewhere = "create it on Mintgate's console page (" + page + ", Create an identity) or with kcadm.sh"
                + " and its mintgate.* attributes (docs/nhi-lifecycle.md)";
        return String.join("; ", review.violations().stream().map(v -> v.description()
                + CreatorDefaults.wizardHint(v, settings, creatorIsPerson, adminRealm, realm.getName(), elsewhere)).toList());
    }

    /**
     * The openid-connect registration endpoint takes RFC 7591 metadata only and drops anything else, so an owner,
     * purpose or expiry can never arrive through it: say where they can.
     */
    private String registrationHint(IssuanceControls.Review review) {
        boolean attributeMissing = review.violations().stream().anyMatch(v -> v.field().startsWith("attributes.")
                && v.message().startsWith("required"));
        String path = session.getContext().getUri() == null ? "" : session.getContext().getUri().getPath();
        if (attributeMissing && path.contains("/clients-registrations/openid-connect")) {
            return " (RFC 7591 metadata cannot carry Mintgate attributes: register through"
                    + " /clients-registrations/default with a client representation that has them)";
        }
        return "";
    }

    private OwnerDirectory owners(RealmModel realm) {
        return idOrUsername -> {
            UserModel user = OwnerLookup.person(session, realm, idOrUsername);
            return user == null ? null : new OwnerDirectory.Owner(user.getId(), user.getUsername(), user.isEnabled());
        };
    }

    /**
     * Keycloak fires no client-policy event when roles are mapped to a service account (the admin role-mapping
     * endpoints call no policy), so the allow-list is enforced where the roles would be used: no client-credentials
     * token is minted while the service account holds a role outside it.
     */
    private void checkServiceAccountRoles(ServiceAccountTokenRequestContext context) throws ClientPolicyException {
        Set<String> allowed = settings().serviceAccountRoles();
        if (allowed.isEmpty() || context.getClientSession() == null || context.getClientSession().getUserSession() == null) {
            return;
        }
        UserModel serviceAccount = context.getClientSession().getUserSession().getUser();
        RoleModel defaultRole = session.getContext().getRealm().getDefaultRole();
        List<String> outside = Stream.concat(serviceAccount.getRoleMappingsStream(),
                        serviceAccount.getGroupsStream().flatMap(GroupModel::getRoleMappingsStream))
                .filter(role -> !role.equals(defaultRole))
                .map(IssuanceControlsExecutor::roleName)
                .filter(name -> !allowed.contains(name))
                .distinct().sorted().toList();
        if (!outside.isEmpty()) {
            throw new ClientPolicyException(ACCESS_DENIED, "the service account holds roles outside the allowed"
                    + " service-account roles: " + String.join(", ", outside), Response.Status.BAD_REQUEST);
        }
    }

    /** Realm roles by name, client roles as {@code <client-id>:<role>} (the allow-list's spelling). */
    static String roleName(RoleModel role) {
        if (role.isClientRole() && role.getContainer() instanceof ClientModel client) {
            return client.getClientId() + ":" + role.getName();
        }
        return role.getName();
    }
}
