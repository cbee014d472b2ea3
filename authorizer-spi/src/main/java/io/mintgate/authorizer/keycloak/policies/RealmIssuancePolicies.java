package io.mintgate.authorizer.keycloak.policies;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.authorizer.keycloak.IssuanceAuthorizerExecutorFactory;
import io.mintgate.authorizer.keycloak.IssuanceContextConditionFactory;
import io.mintgate.authorizer.keycloak.context.IssuanceContextConfiguration;
import io.mintgate.authorizer.keycloak.enforce.IssuanceAuthorizerConfiguration;
import io.mintgate.authorizer.keycloak.enforce.IssuanceAuthorizerExecutor;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.PolicyEvaluationException;
import io.mintgate.authorizer.policy.PolicyValidationException;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientPolicyConditionRepresentation;
import org.keycloak.representations.idm.ClientPolicyExecutorRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;

/**
 * The issuance-authorizer policies of a realm's enabled client policies, for the grant paths on which Keycloak
 * fires no client-policy event (UMA, OID4VCI pre-authorized code). Conditions are evaluated the way Mintgate can:
 * {@code any-client} and {@code issuance-events} hold (these paths are issuance), {@code issuance-context} is evaluated; any other condition cannot be evaluated without
 * its event, so it is taken to hold — the rules then apply (fail closed) and can narrow with their own {@code match}.
 */
public final class RealmIssuancePolicies {

    private static final Logger LOG = Logger.getLogger(RealmIssuancePolicies.class);

    private RealmIssuancePolicies() {
    }

    public static List<IssuanceAuthorizerExecutor.PolicySource> applicable(KeycloakSession session, IssuanceRequest request) {
        RealmModel realm = session.getContext().getRealm();
        ClientPoliciesRepresentation policies;
        ClientProfilesRepresentation profiles;
        try {
            policies = session.clientPolicy().getClientPolicies(realm, false);
            profiles = session.clientPolicy().getClientProfiles(realm, false);
        } catch (ClientPolicyException e) {
            throw new IllegalStateException("client policies of realm " + realm.getName() + " cannot be read", e);
        }
        if (policies == null || policies.getPolicies() == null || profiles == null || profiles.getProfiles() == null) {
            return List.of();
        }
        Map<String, ClientProfileRepresentation> profilesByName = new HashMap<>();
        profiles.getProfiles().forEach(p -> profilesByName.put(p.getName(), p));
        List<IssuanceAuthorizerExecutor.PolicySource> sources = new ArrayList<>();
        for (ClientPolicyRepresentation policy : policies.getPolicies()) {
            if (!Boolean.TRUE.equals(policy.isEnabled()) || !conditionsHold(policy, request)) {
                continue;
            }
            for (String profileName : policy.getProfiles() == null ? List.<String>of() : policy.getProfiles()) {
                ClientProfileRepresentation profile = profilesByName.get(profileName);
                if (profile == null || profile.getExecutors() == null) {
                    continue;
                }
                for (ClientPolicyExecutorRepresentation executor : profile.getExecutors()) {
                    if (IssuanceAuthorizerExecutorFactory.PROVIDER_ID.equals(executor.getExecutorProviderId())) {
                        String source = text(executor.getConfiguration(), IssuanceAuthorizerConfiguration.POLICY);
                        String name = text(executor.getConfiguration(), IssuanceAuthorizerConfiguration.POLICY_NAME);
                        sources.add(() -> IssuanceAuthorizerConfiguration.compiled(realm, source, name));
                    }
                }
            }
        }
        return sources;
    }

    /**
     * Whether the policy's {@code issuance-context} conditions hold for the request (negative logic applied); one
     * that cannot be evaluated is taken to hold, so the policy applies (fail closed). Other conditions are ignored.
     */
    public static boolean conditionsHold(ClientPolicyRepresentation policy, IssuanceRequest request) {
        if (policy.getConditions() == null) {
            return true;
        }
        for (ClientPolicyConditionRepresentation condition : policy.getConditions()) {
            if (!IssuanceContextConditionFactory.PROVIDER_ID.equals(condition.getConditionProviderId())) {
                continue;
            }
            String expression = text(condition.getConfiguration(), IssuanceContextConfiguration.EXPRESSION);
            boolean negative = condition.getConfiguration() != null
                    && condition.getConfiguration().path("is-negative-logic").asBoolean(false);
            try {
                if (CompileOnce.condition(expression).test(request) == negative) {
                    return false;
                }
            } catch (PolicyValidationException | PolicyEvaluationException e) {
                LOG.warnf("issuance-context condition of client policy %s could not be evaluated; applying it: %s",
                        policy.getName(), e.getMessage());
            }
        }
        return true;
    }

    private static String text(JsonNode configuration, String field) {
        return configuration == null ? null : configuration.path(field).asText(null);
    }
}
