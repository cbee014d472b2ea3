package io.mintgate.authorizer.keycloak.clientpolicy;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.Constants;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.securityprofile.SecurityProfileProvider;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parsed client policies of each realm, checked against the realm's current attribute values at every use: the
 * realm cache hands out the same strings until an admin saves new ones (on any node), so the check is usually two
 * identity comparisons, and a change is read at the next event. Bounded; a dropped entry costs one parse.
 */
final class PolicyCache {

    static final int MAX_REALMS = 1024;

    private final Map<String, ParsedClientPolicies> byRealm = new ConcurrentHashMap<>();

    ParsedClientPolicies forRealm(KeycloakSession session, RealmModel realm) {
        String policies = realm.getAttribute(Constants.CLIENT_POLICIES);
        String profiles = realm.getAttribute(Constants.CLIENT_PROFILES);
        SecurityProfileProvider securityProfile = session.getProvider(SecurityProfileProvider.class);
        // Normalized before the comparison as well as the parse: a null list must not make every event re-parse.
        List<ClientPolicyRepresentation> globalPolicies = securityProfile.getDefaultClientPolicies() == null ? List.of()
                : securityProfile.getDefaultClientPolicies();
        List<ClientProfileRepresentation> globalProfiles = securityProfile.getDefaultClientProfiles();
        ParsedClientPolicies known = byRealm.get(realm.getId());
        if (known != null && known.describes(policies, profiles, globalPolicies, globalProfiles)) {
            return known;
        }
        ParsedClientPolicies parsed = ParsedClientPolicies.read(realm.getId(), realm.getName(), policies, profiles,
                globalPolicies, globalProfiles);
        if (byRealm.size() >= MAX_REALMS) {
            byRealm.clear();
        }
        byRealm.put(realm.getId(), parsed);
        return parsed;
    }
}
