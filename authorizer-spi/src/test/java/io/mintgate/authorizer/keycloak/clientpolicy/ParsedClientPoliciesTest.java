package io.mintgate.authorizer.keycloak.clientpolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.authorizer.keycloak.clientpolicy.ParsedClientPolicies.Component;
import io.mintgate.authorizer.keycloak.clientpolicy.ParsedClientPolicies.Policy;
import io.mintgate.authorizer.keycloak.enforce.IssuanceAuthorizerConfiguration;
import org.junit.jupiter.api.Test;
import org.keycloak.component.JsonConfigComponentModel;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyMode;
import org.keycloak.services.clientpolicy.condition.ClientPolicyConditionProvider;
import org.keycloak.util.JsonSerialization;

/**
 * The realm's client policies read once must be what Keycloak's manager reads at every event: same policies, same
 * order, same profiles, the same failures at the same moment.
 */
class ParsedClientPoliciesTest {

    private static final String POLICIES = """
            {"policies":[
              {"name":"first","enabled":true,"conditions":[{"condition":"issuance-events","configuration":{}},
                                                           {"condition":"client-roles","configuration":{"roles":["x"],"is_negative_logic":true}}],
               "profiles":["mintgate","fapi-1-baseline","missing"]},
              {"name":"off","enabled":false,"conditions":[{"condition":"any-client","configuration":{}}],"profiles":["mintgate"]},
              {"name":"unset","conditions":[{"condition":"any-client","configuration":{}}],"profiles":["mintgate"]},
              {"enabled":true,"conditions":[{"condition":"any-client","configuration":{}}]},
              {"name":"strict","enabled":true,"mode":"strict","conditions":[],"profiles":[]}]}""";

    private static final String PROFILES = """
            {"profiles":[{"name":"mintgate","executors":[{"executor":"issuance-authorizer","configuration":{"policy-name":"p"}}]},
                         {"name":"fapi-1-baseline","executors":[{"executor":"pkce-enforcer","configuration":{"auto-configure":"true"}}]}]}""";

    private static List<ClientProfileRepresentation> globalProfiles() throws IOException {
        return JsonSerialization.readValue("""
                {"profiles":[{"name":"fapi-1-baseline","executors":[{"executor":"secure-client-authenticator","configuration":{}}]},
                             {"name":"fapi-2-security-profile","executors":[{"executor":"holder-of-key-enforcer"}]}]}""",
                ClientProfilesRepresentation.class).getProfiles();
    }

    private static ClientPolicyRepresentation globalPolicy() throws IOException {
        return JsonSerialization.readValue("""
                {"name":"global","enabled":true,"conditions":[{"condition":"any-client","configuration":{}}],"profiles":["fapi-2-security-profile"]}""",
                ClientPolicyRepresentation.class);
    }

    @Test
    void enabledPoliciesInKeycloaksOrderWithTheirConditionsAndProfiles() throws IOException {
        ParsedClientPolicies parsed = ParsedClientPolicies.read("realm-id", "r", POLICIES, PROFILES,
                List.of(globalPolicy()), globalProfiles());

        // global first, then the realm's enabled and named ones; "off", "unset" and the nameless one are left out
        assertThat(parsed.enabledPolicies()).extracting(Policy::name).containsExactly("global", "first", "strict");
        Policy first = parsed.enabledPolicies().get(1);
        assertThat(first.mode()).isEqualTo(ClientPolicyMode.DEFAULT);
        assertThat(parsed.enabledPolicies().get(2).mode()).isEqualTo(ClientPolicyMode.STRICT);
        assertThat(first.conditions()).extracting(Component::providerId).containsExactly("issuance-events", "client-roles");
        assertThat(first.profileNames()).containsExactly("mintgate", "fapi-1-baseline", "missing");
        // the component id is Keycloak's, so a session finds the same provider instance Keycloak's manager would
        assertThat(first.conditions().get(1).model().getId()).isEqualTo(new JsonConfigComponentModel(
                ClientPolicyConditionProvider.class, "realm-id", "client-roles",
                JsonSerialization.readValue("{\"roles\":[\"x\"],\"is_negative_logic\":true}", JsonNode.class)).getId());

        // a realm profile wins over a global one of the same name; global-only profiles are there too
        assertThat(parsed.profiles().get("fapi-1-baseline").executors()).extracting(Component::providerId)
                .containsExactly("pkce-enforcer");
        assertThat(parsed.profiles().get("fapi-2-security-profile").executors()).extracting(Component::providerId)
                .containsExactly("holder-of-key-enforcer");
        assertThat(parsed.profiles()).doesNotContainKey("missing");
        assertThat(parsed.unreadableProfiles()).isNull();
    }

    @Test
    void failuresHappenWhereKeycloaksHappen() throws IOException {
        // unreadable policies: no policy at all, not even the global ones
        assertThat(ParsedClientPolicies.read("id", "r", "{not json", PROFILES, List.of(globalPolicy()), globalProfiles())
                .enabledPolicies()).isEmpty();
        // unreadable profiles: kept as the message to throw when a satisfied policy needs them
        assertThat(ParsedClientPolicies.read("id", "r", POLICIES, "[oops", List.of(), globalProfiles())
                .unreadableProfiles()).isNotBlank();
        // an executor without configuration fails when it is reached, not before
        Component executor = ParsedClientPolicies.read("id", "r", POLICIES, PROFILES, List.of(), globalProfiles())
                .profiles().get("fapi-2-security-profile").executors().get(0);
        assertThatThrownBy(executor::modelOrThrow).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holder-of-key-enforcer");
        // a condition without configuration, or an unknown mode, fails every event (nothing is cached)
        assertThatThrownBy(() -> ParsedClientPolicies.read("id", "r",
                "{\"policies\":[{\"name\":\"p\",\"enabled\":true,\"conditions\":[{\"condition\":\"any-client\"}]}]}",
                null, List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParsedClientPolicies.read("id", "r",
                "{\"policies\":[{\"name\":\"p\",\"enabled\":true,\"mode\":\"sometimes\"}]}", null, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        // no documents at all: nothing applies
        assertThat(ParsedClientPolicies.read("id", "r", null, null, List.of(), List.of()).enabledPolicies()).isEmpty();
    }

    @Test
    void describesTheExactVersionItWasReadFrom() throws IOException {
        List<ClientProfileRepresentation> globals = globalProfiles();
        ParsedClientPolicies parsed = ParsedClientPolicies.read("id", "r", POLICIES, PROFILES, List.of(), globals);
        assertThat(parsed.describes(new String(POLICIES), new String(PROFILES), List.of(), globals)).isTrue();
        assertThat(parsed.describes(POLICIES.replace("\"first\"", "\"renamed\""), PROFILES, List.of(), globals)).isFalse();
        assertThat(parsed.describes(POLICIES, null, List.of(), globals)).isFalse();
        assertThat(parsed.describes(POLICIES, PROFILES, List.of(globalPolicy()), globals)).isFalse();
    }

    @Test
    void aSharedConfigurationIsConvertedOnceAnyOtherPerSession() throws IOException {
        Component executor = ParsedClientPolicies.read("id", "r", POLICIES, PROFILES, List.of(), globalProfiles())
                .profiles().get("mintgate").executors().get(0);
        Object first = executor.configurationAs(IssuanceAuthorizerConfiguration.class, true);
        assertThat(((IssuanceAuthorizerConfiguration) first).getPolicyName()).isEqualTo("p");
        assertThat(executor.configurationAs(IssuanceAuthorizerConfiguration.class, true)).isSameAs(first);
        Object fresh = executor.configurationAs(IssuanceAuthorizerConfiguration.class, false);
        assertThat(fresh).isNotSameAs(first);
        assertThat(((IssuanceAuthorizerConfiguration) fresh).getPolicyName()).isEqualTo("p");
        // another configuration class for the same component is converted anew: exactly the class asked for
        assertThat(executor.configurationAs(ClientPolicyExecutorConfigurationRepresentation.class, true))
                .isExactlyInstanceOf(ClientPolicyExecutorConfigurationRepresentation.class);
    }
}
