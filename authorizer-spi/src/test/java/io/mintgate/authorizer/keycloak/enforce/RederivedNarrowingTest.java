package io.mintgate.authorizer.keycloak.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import io.mintgate.authorizer.policy.Obligations;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.AccessToken;

class RederivedNarrowingTest {

    private static final Obligations CARRIED = Obligations.builder().keepScopes(Set.of("orders:read"))
            .keepAudiences(Set.of("api-a", "exchanger")).keepRoles(Set.of("reader")).build();

    @Test
    void aJwtAccessTokensIntrospectionHasNothingBeyondTheIssuedToken() {
        AccessToken issued = token("openid orders:read", new String[]{"api-a"}, Set.of("reader"), null);
        issued.exp(1_000L);
        // re-derived now: more scopes, audiences, roles, a client role; a role granted since that the policy keeps
        AccessToken answer = token("openid orders:read", new String[]{"api-a", "api-b", "account"},
                Set.of("reader", "writer"), "manage-account");
        answer.exp(1_000L);
        AccessToken alsoGrantedSince = token("openid orders:read", new String[]{"api-a", "exchanger"}, Set.of("reader"), null);

        RederivedNarrowing.narrow(issued, answer, CARRIED, true);
        RederivedNarrowing.narrow(issued, alsoGrantedSince, CARRIED, true);

        assertThat(answer.getAudience()).containsExactly("api-a");
        assertThat(answer.getRealmAccess().getRoles()).containsExactly("reader");
        assertThat(answer.getResourceAccess()).isEmpty();
        assertThat(answer.getScope()).isEqualTo("openid orders:read");
        assertThat(alsoGrantedSince.getAudience()).as("kept by the policy, but not in the issued token").containsExactly("api-a");
    }

    @Test
    void aLightweightAccessTokensIntrospectionIsNarrowedByWhatItCarries() {
        AccessToken issued = token("openid orders:read", null, null, null);
        AccessToken answer = token("openid orders:read orders:write", new String[]{"api-a", "api-b", "exchanger"},
                Set.of("reader", "writer"), "manage-account");

        RederivedNarrowing.narrow(issued, answer, CARRIED, false);

        assertThat(answer.getAudience()).containsExactlyInAnyOrder("api-a", "exchanger");
        assertThat(answer.getRealmAccess().getRoles()).containsExactly("reader");
        assertThat(answer.getResourceAccess()).isEmpty();
        assertThat(answer.getScope()).isEqualTo("openid orders:read");
    }

    @Test
    void anIssuedTokenWithNoAudienceOrRolesLeavesNoneInTheAnswerRatherThanAnEmptyList() {
        AccessToken issued = token("openid", null, null, null);
        AccessToken answer = token("openid", new String[]{"api-b"}, Set.of("writer"), null);

        RederivedNarrowing.narrow(issued, answer, CARRIED, true);

        assertThat(answer.getAudience()).isNull();
        assertThat(answer.getRealmAccess()).isNull();
    }

    @Test
    void theAnswerEndsWhenTheIssuedTokenEnds() {
        AccessToken issued = new AccessToken();
        issued.exp(1_000L);
        AccessToken later = new AccessToken();
        later.exp(2_000L);
        AccessToken earlier = new AccessToken();
        earlier.exp(500L);

        RederivedNarrowing.expireWith(issued, later);
        RederivedNarrowing.expireWith(issued, earlier);

        assertThat(later.getExp()).isEqualTo(1_000L);
        assertThat(earlier.getExp()).isEqualTo(500L);
    }

    private static AccessToken token(String scope, String[] audience, Set<String> realmRoles, String accountRole) {
        AccessToken token = new AccessToken();
        token.setScope(scope);
        if (audience != null) {
            token.audience(audience);
        }
        if (realmRoles != null) {
            AccessToken.Access access = new AccessToken.Access();
            realmRoles.forEach(access::addRole);
            token.setRealmAccess(access);
        }
        if (accountRole != null) {
            token.addAccess("account").addRole(accountRole);
        }
        return token;
    }
}
