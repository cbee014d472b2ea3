package io.mintgate.authorizer.keycloak.clientpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.securityprofile.SecurityProfileProvider;

class PolicyCacheTest {

    private static final String POLICIES = "{\"policies\":[]}";
    private static final String PROFILES = "{\"profiles\":[]}";

    /** A security profile may give no global policies (null): the realm must still be parsed once, not per event. */
    @Test
    void aSecurityProfileWithoutGlobalPoliciesDoesNotMakeEveryEventReparse() {
        PolicyCache cache = new PolicyCache();
        KeycloakSession session = stub(KeycloakSession.class, Map.of("getProvider", stub(SecurityProfileProvider.class,
                Map.of("getDefaultClientProfiles", List.of()))));
        RealmModel realm = realm(POLICIES);

        ParsedClientPolicies first = cache.forRealm(session, realm);

        assertThat(cache.forRealm(session, realm)).isSameAs(first);
        assertThat(cache.forRealm(session, realm(POLICIES.replace("[]", "[ ]")))).isNotSameAs(first);
    }

    private static RealmModel realm(String policies) {
        return stub(RealmModel.class, Map.of("getId", "r1", "getName", "r", "getAttribute:" + Constants.CLIENT_POLICIES,
                policies, "getAttribute:" + Constants.CLIENT_PROFILES, PROFILES));
    }

    /** Answers the named methods (or "method:firstArgument"); null for every other call. */
    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (args != null && args.length > 0 && answers.containsKey(method.getName() + ":" + args[0])) {
                return answers.get(method.getName() + ":" + args[0]);
            }
            return answers.get(method.getName());
        });
    }
}
