package io.mintgate.authorizer.keycloak.surface;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.authorizer.keycloak.enforce.IssuanceAuthorizerConfiguration;
import io.mintgate.authorizer.keycloak.IssuanceAuthorizerExecutorFactory;
import io.mintgate.authorizer.keycloak.IssuanceContextConditionFactory;
import io.mintgate.authorizer.keycloak.IssuanceEventsConditionFactory;
import io.mintgate.authorizer.surface.GrantPath;
import io.mintgate.authorizer.surface.PathCoverage;
import io.mintgate.authorizer.surface.PathCoverage.CoveringPolicy;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.utils.MapperTypeSerializer;
import org.keycloak.representations.idm.ClientPolicyConditionRepresentation;
import org.keycloak.representations.idm.ClientPolicyExecutorRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;

/**
 * Which of a realm's enabled client policies put an {@code issuance-authorizer} executor on a grant path of a client.
 * Keycloak applies a policy when no condition votes no and at least one votes yes; the votes are judged here from
 * each condition's configuration and the client, so that conditions reading the request ({@code issuance-context},
 * {@code client-scopes}, any unknown one) make the coverage conditional. UMA and OID4VCI fire no client-policy event:
 * there Mintgate applies a policy unless an {@code issuance-context} condition says otherwise (docs/policy-reference.md).
 */
public final class PolicyCoverageReader {

    /** The condition types voted on below; any other reads the request (or is unknown) and makes coverage depend on it. */
    private static final Set<String> JUDGED_WITHOUT_REQUEST = Set.of("any-client",
            IssuanceEventsConditionFactory.PROVIDER_ID, "client-access-type", "client-roles", "client-attributes",
            "grant-type", "client-updater-context", "client-updater-source-groups", "client-updater-source-host",
            "client-updater-source-roles");

    private final List<ClientPolicyRepresentation> policies;
    private final Map<String, ClientProfileRepresentation> profiles = new HashMap<>();

    PolicyCoverageReader(List<ClientPolicyRepresentation> policies, List<ClientProfileRepresentation> profiles) {
        this.policies = policies.stream().filter(p -> Boolean.TRUE.equals(p.isEnabled())).toList();
        profiles.forEach(p -> this.profiles.put(p.getName(), p));
    }

    PathCoverage coverage(ClientModel client, GrantPath path) {
        return PathCoverage.of(path, executors(client, path).stream().map(Executor::covering).toList());
    }

    /**
     * An issuance-authorizer executor that may decide the path: its client policy (whose request-dependent
     * conditions a caller with a request can evaluate), the executor's configuration, and the coverage entry.
     */
    public record Executor(ClientPolicyRepresentation clientPolicy, JsonNode configuration, CoveringPolicy covering) {
    }

    public static PolicyCoverageReader of(KeycloakSession session, RealmModel realm) {
        ClientPoliciesRepresentation policies;
        ClientProfilesRepresentation profiles;
        try {
            policies = session.clientPolicy().getClientPolicies(realm, false);
            profiles = session.clientPolicy().getClientProfiles(realm, false);
        } catch (ClientPolicyException e) {
            throw new IllegalStateException("client policies of realm " + realm.getName() + " cannot be read", e);
        }
        return new PolicyCoverageReader(
                policies == null || policies.getPolicies() == null ? List.of() : policies.getPolicies(),
                profiles == null || profiles.getProfiles() == null ? List.of() : profiles.getProfiles());
    }

    public List<Executor> executors(ClientModel client, GrantPath path) {
        List<Executor> found = new ArrayList<>();
        for (ClientPolicyRepresentation policy : policies) {
            ConditionVote vote = path == GrantPath.UMA || path == GrantPath.OID4VCI
                    ? voteWithoutEvent(policy) : vote(policy, client, path);
            if (vote == ConditionVote.YES || vote == ConditionVote.DEPENDS) {
                for (String profileName : policy.getProfiles() == null ? List.<String>of() : policy.getProfiles()) {
                    ClientProfileRepresentation profile = profiles.get(profileName);
                    for (ClientPolicyExecutorRepresentation executor : executors(profile)) {
                        if (IssuanceAuthorizerExecutorFactory.PROVIDER_ID.equals(executor.getExecutorProviderId())) {
                            found.add(new Executor(policy, executor.getConfiguration(), new CoveringPolicy(
                                    policy.getName(), profileName, storedPolicy(executor.getConfiguration()),
                                    vote == ConditionVote.YES)));
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Keycloak's rule: any no fails, then a request-dependent vote leaves it open, then one yes applies it. */
    private static ConditionVote vote(ClientPolicyRepresentation policy, ClientModel client, GrantPath path) {
        List<ClientPolicyConditionRepresentation> conditions = policy.getConditions();
        if (conditions == null || conditions.isEmpty()) {
            return ConditionVote.NO;
        }
        boolean depends = false;
        boolean yes = false;
        for (ClientPolicyConditionRepresentation condition : conditions) {
            ConditionVote v = conditionVote(condition, client, path).negatedIf(negative(condition.getConfiguration()));
            if (v == ConditionVote.NO) {
                return ConditionVote.NO;
            }
            depends |= v == ConditionVote.DEPENDS;
            yes |= v == ConditionVote.YES;
        }
        return depends ? ConditionVote.DEPENDS : yes ? ConditionVote.YES : ConditionVote.NO;
    }

    private static ConditionVote voteWithoutEvent(ClientPolicyRepresentation policy) {
        List<ClientPolicyConditionRepresentation> conditions = policy.getConditions();
        boolean depends = conditions != null && conditions.stream()
                .anyMatch(c -> IssuanceContextConditionFactory.PROVIDER_ID.equals(c.getConditionProviderId()));
        return depends ? ConditionVote.DEPENDS : ConditionVote.YES;
    }

    private static ConditionVote conditionVote(ClientPolicyConditionRepresentation condition, ClientModel client,
                                               GrantPath path) {
        JsonNode config = condition.getConfiguration();
        String type = condition.getConditionProviderId();
        if (!judgedWithoutRequest(type)) {
            return ConditionVote.DEPENDS;
        }
        return switch (type) {
            case "any-client", IssuanceEventsConditionFactory.PROVIDER_ID -> ConditionVote.YES;
            case "client-access-type" -> ConditionVote.of(texts(config, "type").contains(accessType(client)));
            case "client-roles" -> ConditionVote.of(client.getRolesStream().map(RoleModel::getName)
                    .anyMatch(texts(config, "roles")::contains));
            case "client-attributes" -> ConditionVote.of(attributesMatch(client, config));
            case "grant-type" -> grantTypeVote(texts(config, "grant_types"), path);
            case "client-updater-context", "client-updater-source-groups", "client-updater-source-host",
                    "client-updater-source-roles" -> ConditionVote.ABSTAIN;
            default -> throw new IllegalStateException("no vote for " + type + " in JUDGED_WITHOUT_REQUEST");
        };
    }

    /** Whether a condition of this type is judged from its configuration and the client alone (not the request). */
    public static boolean judgedWithoutRequest(String type) {
        return JUDGED_WITHOUT_REQUEST.contains(type);
    }

    /**
     * Keycloak's grant-type condition votes only on the request events of the token endpoint (and the
     * authorization request), and abstains on the token-response events, where Mintgate decides password, client
     * credentials, refresh, device, CIBA and the code flow: there a policy with only this condition never applies.
     * It votes where Mintgate decides at such an event: token exchange and the JWT authorization grant.
     */
    private static ConditionVote grantTypeVote(Set<String> grantTypes, GrantPath path) {
        String grant = switch (path) {
            case TOKEN_EXCHANGE -> OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE;
            case JWT_AUTHORIZATION_GRANT -> OAuth2Constants.JWT_AUTHORIZATION_GRANT;
            default -> null;
        };
        return grant == null ? ConditionVote.ABSTAIN : ConditionVote.of(grantTypes.contains(grant));
    }

    private static String accessType(ClientModel client) {
        return client.isPublicClient() ? "public" : client.isBearerOnly() ? "bearer-only" : "confidential";
    }

    /** As Keycloak's client-attributes condition: every configured attribute has exactly the one configured value. */
    private static boolean attributesMatch(ClientModel client, JsonNode config) {
        String serialized = config == null ? null : config.path("attributes").asText(null);
        if (serialized == null) {
            return false;
        }
        Map<String, List<String>> wanted = MapperTypeSerializer.deserialize(serialized);
        Map<String, String> actual = client.getAttributes();
        return wanted.entrySet().stream().allMatch(e -> e.getKey() != null && e.getValue() != null
                && e.getValue().size() == 1 && e.getValue().get(0).equals(actual.get(e.getKey())));
    }

    private static Set<String> texts(JsonNode config, String field) {
        Set<String> values = new HashSet<>();
        if (config != null) {
            JsonNode node = config.path(field);
            if (node.isArray()) {
                node.forEach(n -> values.add(n.asText()));
            } else if (node.isTextual()) {
                values.add(node.asText());
            }
        }
        return values;
    }

    private static boolean negative(JsonNode config) {
        return config != null && config.path("is-negative-logic").asBoolean(false);
    }

    private static List<ClientPolicyExecutorRepresentation> executors(ClientProfileRepresentation profile) {
        return profile == null || profile.getExecutors() == null ? List.of() : profile.getExecutors();
    }

    private static String storedPolicy(JsonNode config) {
        String name = config == null ? null : config.path(IssuanceAuthorizerConfiguration.POLICY_NAME).asText(null);
        return name == null || name.isBlank() ? null : name;
    }

}
