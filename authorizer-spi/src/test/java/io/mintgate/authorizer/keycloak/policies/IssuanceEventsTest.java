package io.mintgate.authorizer.keycloak.policies;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintgate.authorizer.keycloak.context.EventMints;
import io.mintgate.authorizer.keycloak.enforce.IssuanceAuthorizerExecutor;
import org.junit.jupiter.api.Test;
import org.keycloak.services.clientpolicy.ClientPolicyEvent;

/**
 * The {@code issuance-events} condition may only say NO where the issuance-authorizer would do nothing, and only when no
 * other executor shares the policy's profiles.
 */
class IssuanceEventsTest {

    private static final String AUTHORIZER_ONLY = """
            {"profiles":[{"name":"mintgate","executors":[{"executor":"issuance-authorizer","configuration":{"policy-name":"p"}}]},
                         {"name":"other","executors":[{"executor":"pkce-enforcer","configuration":{}}]}]}""";

    private static String policies(String condition, String... profiles) {
        return "{\"policies\":[{\"name\":\"x\",\"enabled\":true,\"conditions\":[{\"condition\":\"" + condition
                + "\",\"configuration\":{}}],\"profiles\":[" + String.join(",", java.util.Arrays.stream(profiles)
                .map(p -> "\"" + p + "\"").toList()) + "]}]}";
    }

    @Test
    void everyEventThatTheTokenResponseStepIgnoresMintsNothingThere() {
        for (ClientPolicyEvent event : ClientPolicyEvent.values()) {
            if (!EventMints.TOKEN_RESPONSE_EVENTS.contains(event)) {
                assertThat(EventMints.atTokenResponse(() -> event)).as(event.name()).isNull();
            }
        }
        assertThat(IssuanceAuthorizerExecutor.DECIDING_EVENTS).containsAll(EventMints.TOKEN_RESPONSE_EVENTS)
                .contains(ClientPolicyEvent.TOKEN_EXCHANGE_REQUEST, ClientPolicyEvent.JWT_AUTHORIZATION_GRANT,
                        ClientPolicyEvent.AUTHORIZATION_REQUEST, ClientPolicyEvent.PUSHED_AUTHORIZATION_REQUEST,
                        ClientPolicyEvent.DEVICE_AUTHORIZATION_REQUEST, ClientPolicyEvent.BACKCHANNEL_AUTHENTICATION_REQUEST)
                .doesNotContain(ClientPolicyEvent.SERVICE_ACCOUNT_TOKEN_REQUEST, ClientPolicyEvent.TOKEN_REQUEST,
                        ClientPolicyEvent.TOKEN_REFRESH, ClientPolicyEvent.REGISTER, ClientPolicyEvent.UPDATE);
    }

    @Test
    void noOnlyWhenThePoliciesWithTheConditionReachOnlyIssuanceAuthorizers() {
        assertThat(AuthorizerOnlyProfiles.decide(policies("issuance-events", "mintgate"), AUTHORIZER_ONLY)).isTrue();
        // another executor in a profile of the policy: it may need the other events
        assertThat(AuthorizerOnlyProfiles.decide(policies("issuance-events", "mintgate", "other"), AUTHORIZER_ONLY)).isFalse();
        assertThat(AuthorizerOnlyProfiles.decide(policies("issuance-events", "mintgate"), """
                {"profiles":[{"name":"mintgate","executors":[{"executor":"issuance-authorizer"},
                                                             {"executor":"nhi-issuance-controls"}]}]}""")).isFalse();
        // a global profile, whose executors the realm does not list
        assertThat(AuthorizerOnlyProfiles.decide(policies("issuance-events", "fapi-1-baseline"), AUTHORIZER_ONLY)).isFalse();
        // other executors behind other conditions do not matter
        assertThat(AuthorizerOnlyProfiles.decide(policies("any-client", "other"), AUTHORIZER_ONLY)).isTrue();
        assertThat(AuthorizerOnlyProfiles.decide(null, null)).isTrue();
        assertThat(AuthorizerOnlyProfiles.decide("{not json", AUTHORIZER_ONLY)).isFalse();
    }
}
