package io.mintgate.authorizer.keycloak.lifecycle;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

import io.mintgate.authorizer.keycloak.context.NhiAttributes;
import org.keycloak.models.ClientModel;
import org.keycloak.representations.idm.ClientRepresentation;

/**
 * Reads Keycloak's client model and proposed representation into {@link ProposedIdentity}. The merge mirrors how
 * Keycloak saves a representation: a null field keeps the client's value (or Keycloak's default on create), and
 * an attribute present in the map replaces it, a blank or null one removes it.
 */
final class ProposedIdentities {

    static final String OWNER = NhiAttributes.OWNER;
    static final String PURPOSE = NhiAttributes.PURPOSE;
    static final String EXPIRES_AT = NhiAttributes.EXPIRES_AT;

    private ProposedIdentities() {
    }

    /** The identity as it is now. */
    static ProposedIdentity of(ClientModel client) {
        Map<ControlledGrant, Boolean> grants = new EnumMap<>(ControlledGrant.class);
        grants.put(ControlledGrant.IMPLICIT_FLOW, client.isImplicitFlowEnabled());
        grants.put(ControlledGrant.DIRECT_ACCESS_GRANTS, client.isDirectAccessGrantsEnabled());
        grants.put(ControlledGrant.FULL_SCOPE_ALLOWED, client.isFullScopeAllowed());
        grants.put(ControlledGrant.SERVICE_ACCOUNT_STANDARD_FLOW, client.isStandardFlowEnabled());
        return new ProposedIdentity(client.getClientId(), client.getAttribute(OWNER), client.getAttribute(PURPOSE),
                client.getAttribute(EXPIRES_AT), client.isServiceAccountsEnabled(), grants);
    }

    /** The identity as the request would leave it; {@code current} is null on create. */
    static ProposedIdentity of(ClientRepresentation rep, ClientModel current) {
        boolean create = current == null;
        Map<ControlledGrant, Boolean> grants = new EnumMap<>(ControlledGrant.class);
        grants.put(ControlledGrant.IMPLICIT_FLOW,
                value(rep.isImplicitFlowEnabled(), current, ClientModel::isImplicitFlowEnabled, false));
        grants.put(ControlledGrant.DIRECT_ACCESS_GRANTS,
                value(rep.isDirectAccessGrantsEnabled(), current, ClientModel::isDirectAccessGrantsEnabled, false));
        // Keycloak's default for a new client: full scope unless consent is required.
        grants.put(ControlledGrant.FULL_SCOPE_ALLOWED, value(rep.isFullScopeAllowed(), current,
                ClientModel::isFullScopeAllowed, !Boolean.TRUE.equals(rep.isConsentRequired())));
        grants.put(ControlledGrant.SERVICE_ACCOUNT_STANDARD_FLOW,
                value(rep.isStandardFlowEnabled(), current, ClientModel::isStandardFlowEnabled, true));
        String clientId = rep.getClientId() != null ? rep.getClientId() : create ? "" : current.getClientId();
        return new ProposedIdentity(clientId, attribute(rep, current, OWNER), attribute(rep, current, PURPOSE),
                attribute(rep, current, EXPIRES_AT),
                value(rep.isServiceAccountsEnabled(), current, ClientModel::isServiceAccountsEnabled, false), grants);
    }

    /** Strip mode: switch the grant off in the representation Keycloak is about to save. */
    static void strip(ClientRepresentation rep, ControlledGrant grant) {
        switch (grant) {
            case IMPLICIT_FLOW -> rep.setImplicitFlowEnabled(false);
            case DIRECT_ACCESS_GRANTS -> rep.setDirectAccessGrantsEnabled(false);
            case FULL_SCOPE_ALLOWED -> rep.setFullScopeAllowed(false);
            case SERVICE_ACCOUNT_STANDARD_FLOW -> rep.setStandardFlowEnabled(false);
        }
    }

    private static boolean value(Boolean proposed, ClientModel current, Function<ClientModel, Boolean> existing,
                                 boolean createDefault) {
        if (proposed != null) {
            return proposed;
        }
        return current == null ? createDefault : existing.apply(current);
    }

    private static String attribute(ClientRepresentation rep, ClientModel current, String name) {
        if (rep.getAttributes() != null && rep.getAttributes().containsKey(name)) {
            return rep.getAttributes().get(name);
        }
        return current == null ? null : current.getAttribute(name);
    }
}
