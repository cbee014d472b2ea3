package io.mintgate.authorizer.keycloak.clientpolicy;

import com.fasterxml.jackson.databind.JsonNode;
import org.jboss.logging.Logger;
import org.keycloak.component.JsonConfigComponentModel;
import org.keycloak.provider.Provider;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientPolicyConditionRepresentation;
import org.keycloak.representations.idm.ClientPolicyExecutorRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyMode;
import org.keycloak.services.clientpolicy.condition.ClientPolicyConditionProvider;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A realm's client policies and client profiles as Keycloak reads them at every client-policy event — global
 * policies first, then the realm's enabled ones; realm profiles before global ones of the same name — parsed once
 * per version of the realm's two JSON attributes instead of at every event. Immutable and shared between threads:
 * it holds only representations (JSON trees nobody writes to) and component models, never a provider, which belongs
 * to one session.
 *
 * <p>Where Keycloak's reading fails, this one fails the same way at the same moment: unreadable policies JSON means
 * no policy at all (logged once per version instead of at every event); unreadable profiles JSON is a
 * {@link org.keycloak.services.clientpolicy.ClientPolicyException} only when a satisfied policy needs its profiles;
 * a missing executor configuration fails when that executor is reached. One deliberate difference: a policies
 * document without a {@code policies} array reads as no realm policies, where Keycloak fails every event with a
 * {@code NullPointerException} (the admin API never stores such a document).
 */
record ParsedClientPolicies(String policiesJson, String profilesJson, List<ClientPolicyRepresentation> globalPolicies,
                            List<ClientProfileRepresentation> globalProfiles, List<Policy> enabledPolicies,
                            Map<String, Profile> profiles, String unreadableProfiles) {

    private static final Logger LOG = Logger.getLogger(ParsedClientPolicies.class);

    /** An enabled client policy: its conditions in order, and the names of its profiles. */
    record Policy(String name, ClientPolicyMode mode, List<Component> conditions, List<String> profileNames) {
    }

    /** A client profile: its executors in order. */
    record Profile(String name, List<Component> executors) {
    }

    /**
     * A condition or executor as configured: the component model Keycloak would build for it (its id names the
     * provider instance a session keeps), or, when the configuration is missing, the failure building it raised.
     */
    record Component(String providerId, JsonNode configuration, JsonConfigComponentModel model,
                     IllegalArgumentException invalid, AtomicReference<Object> sharedConfiguration) {

        static Component of(Class<? extends Provider> type, String realmId, String providerId, JsonNode configuration) {
            try {
                return new Component(providerId, configuration,
                        new JsonConfigComponentModel(type, realmId, providerId, configuration), null,
                        new AtomicReference<>());
            } catch (IllegalArgumentException e) {
                return new Component(providerId, configuration, null, e, new AtomicReference<>());
            }
        }

        /**
         * The configuration converted to {@code type}: once for all sessions when the provider is marked
         * {@link SharedConfiguration} (a race converts twice, harmlessly), else a fresh object each call.
         */
        Object configurationAs(Class<?> type, boolean shareable) {
            if (!shareable) {
                return JsonSerialization.mapper.convertValue(configuration, type);
            }
            Object known = sharedConfiguration.get();
            if (known != null && known.getClass() == type) {
                return known;
            }
            Object converted = JsonSerialization.mapper.convertValue(configuration, type);
            sharedConfiguration.set(converted);
            return converted;
        }

        /** The model, or Keycloak's own failure for a component that has none. */
        JsonConfigComponentModel modelOrThrow() {
            return validated().model;
        }

        Component validated() {
            if (invalid != null) {
                throw invalid;
            }
            return this;
        }
    }

    ParsedClientPolicies {
        enabledPolicies = List.copyOf(enabledPolicies);
        profiles = Map.copyOf(profiles);
    }

    /** Does this still describe the realm, whose attributes and global lists are these? */
    boolean describes(String policies, String profilesDocument, List<ClientPolicyRepresentation> globals,
                      List<ClientProfileRepresentation> globalProfileList) {
        return Objects.equals(policiesJson, policies) && Objects.equals(profilesJson, profilesDocument)
                && Objects.equals(globalPolicies, globals) && Objects.equals(globalProfiles, globalProfileList);
    }

    /**
     * Reads the two documents. Throws what Keycloak's reading throws at every event for this input (an unknown
     * {@code mode}, a condition without configuration): nothing is cached then and the next event fails alike.
     */
    static ParsedClientPolicies read(String realmId, String realmName, String policiesJson, String profilesJson,
                                     List<ClientPolicyRepresentation> globalPolicies,
                                     List<ClientProfileRepresentation> globalProfiles) {
        List<ClientPolicyRepresentation> all = new ArrayList<>(globalPolicies);
        boolean readable = true;
        if (policiesJson != null) {
            try {
                List<ClientPolicyRepresentation> realmPolicies =
                        JsonSerialization.readValue(policiesJson, ClientPoliciesRepresentation.class).getPolicies();
                if (realmPolicies != null) {
                    all.addAll(realmPolicies);
                }
            } catch (IOException e) {
                LOG.warnf("Client policies of realm %s cannot be read, so no client policy applies until they are"
                        + " saved again: %s", realmName, e.getMessage());
                readable = false;
            }
        }
        List<Policy> enabled = new ArrayList<>();
        for (ClientPolicyRepresentation policy : readable ? all : List.<ClientPolicyRepresentation>of()) {
            if (policy.getName() == null) {
                LOG.warnf("Client policy without a name ignored in realm %s", realmName);
                continue;
            }
            if (!Boolean.TRUE.equals(policy.isEnabled())) {
                continue;
            }
            ClientPolicyMode mode = policy.getMode() == null ? ClientPolicyMode.DEFAULT
                    : ClientPolicyMode.valueOf(policy.getMode().toUpperCase(Locale.ROOT));
            List<Component> conditions = new ArrayList<>();
            for (ClientPolicyConditionRepresentation condition : nonNull(policy.getConditions())) {
                // Keycloak builds every condition of an enabled policy up front: a missing configuration throws here
                conditions.add(Component.of(ClientPolicyConditionProvider.class, realmId,
                        condition.getConditionProviderId(), condition.getConfiguration()).validated());
            }
            enabled.add(new Policy(policy.getName(), mode, List.copyOf(conditions),
                    policy.getProfiles() == null ? List.of() : List.copyOf(policy.getProfiles())));
        }

        Map<String, Profile> profiles = new HashMap<>();
        String unreadableProfiles = null;
        List<ClientProfileRepresentation> realmProfiles = List.of();
        if (profilesJson != null) {
            try {
                realmProfiles = nonNull(JsonSerialization.readValue(profilesJson, ClientProfilesRepresentation.class)
                        .getProfiles());
            } catch (IOException e) {
                unreadableProfiles = e.getMessage();
            }
        }
        for (List<ClientProfileRepresentation> source : List.of(realmProfiles, nonNull(globalProfiles))) {
            for (ClientProfileRepresentation profile : source) {
                if (profile.getName() == null || profiles.containsKey(profile.getName())) {
                    continue; // the first of a name wins, realm profiles before global ones
                }
                List<Component> executors = new ArrayList<>();
                for (ClientPolicyExecutorRepresentation executor : nonNull(profile.getExecutors())) {
                    executors.add(Component.of(ClientPolicyExecutorProvider.class, realmId,
                            executor.getExecutorProviderId(), executor.getConfiguration()));
                }
                profiles.put(profile.getName(), new Profile(profile.getName(), List.copyOf(executors)));
            }
        }
        return new ParsedClientPolicies(policiesJson, profilesJson, globalPolicies, globalProfiles, enabled, profiles,
                unreadableProfiles);
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? Collections.emptyList() : list;
    }
}
