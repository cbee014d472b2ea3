package io.mintgate.authorizer.keycloak.policies;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mintgate.authorizer.keycloak.IssuanceAuthorizerExecutorFactory;
import io.mintgate.authorizer.keycloak.IssuanceEventsConditionFactory;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;

/**
 * May the {@code issuance-events} condition vote NO on the events the issuance-authorizer ignores? Only when every
 * profile of every client policy carrying that condition holds nothing but issuance-authorizer executors. Any other
 * executor there (Mintgate's {@code nhi-issuance-controls}, one of Keycloak's, a global profile whose content is not
 * in the realm) may need exactly those events, so then the condition holds on every event: slower, never a skipped
 * check. Worked out from the realm's two client-policy attributes once per change of either (the realm cache hands
 * out the same strings until an admin saves new ones, on any node).
 */
public final class AuthorizerOnlyProfiles {

    private record Answer(String policiesJson, String profilesJson, boolean authorizerOnly) {
    }

    /** A tree read needs no configuration (Keycloak's own mapper is set up for representations). */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Answer> BY_REALM = new ConcurrentHashMap<>();
    private static final int MAX_REALMS = 1024;

    private AuthorizerOnlyProfiles() {
    }

    public static boolean holds(RealmModel realm) {
        String policies = realm.getAttribute(Constants.CLIENT_POLICIES);
        String profiles = realm.getAttribute(Constants.CLIENT_PROFILES);
        Answer known = BY_REALM.get(realm.getId());
        if (known != null && Objects.equals(known.policiesJson(), policies)
                && Objects.equals(known.profilesJson(), profiles)) {
            return known.authorizerOnly();
        }
        boolean authorizerOnly = decide(policies, profiles);
        if (BY_REALM.size() >= MAX_REALMS) {
            BY_REALM.clear(); // bounded; an answer costs one parse to rebuild
        }
        BY_REALM.put(realm.getId(), new Answer(policies, profiles, authorizerOnly));
        return authorizerOnly;
    }

    /** The decision on the two JSON documents as Keycloak stores them ({@code {"policies":[...]}}, {@code {"profiles":[...]}}). */
    static boolean decide(String policiesJson, String profilesJson) {
        JsonNode policies;
        JsonNode profiles;
        try {
            policies = JSON.readTree(policiesJson == null ? "{}" : policiesJson);
            profiles = JSON.readTree(profilesJson == null ? "{}" : profilesJson);
        } catch (IOException unreadable) {
            return false; // Keycloak cannot read them either; hold on every event
        }
        Map<String, JsonNode> profilesByName = new HashMap<>();
        for (JsonNode profile : profiles.path("profiles")) {
            profilesByName.put(profile.path("name").asText(), profile);
        }
        for (JsonNode policy : policies.path("policies")) {
            if (!carriesTheCondition(policy)) {
                continue;
            }
            for (JsonNode profileName : policy.path("profiles")) {
                JsonNode profile = profilesByName.get(profileName.asText());
                if (profile == null) {
                    return false; // a global profile (or none): its executors are not ours to know
                }
                for (JsonNode executor : profile.path("executors")) {
                    if (!IssuanceAuthorizerExecutorFactory.PROVIDER_ID.equals(executor.path("executor").asText())) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static boolean carriesTheCondition(JsonNode policy) {
        for (JsonNode condition : policy.path("conditions")) {
            if (IssuanceEventsConditionFactory.PROVIDER_ID.equals(condition.path("condition").asText())) {
                return true;
            }
        }
        return false;
    }
}
