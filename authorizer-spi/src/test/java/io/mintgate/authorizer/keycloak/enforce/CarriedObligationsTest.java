package io.mintgate.authorizer.keycloak.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.mintgate.authorizer.policy.Obligations;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.RefreshToken;
import org.keycloak.util.JsonSerialization;

class CarriedObligationsTest {

    private static final Obligations NARROWING = Obligations.builder().keepScopes(Set.of("orders:read"))
            .keepAudiences(Set.of("api-a")).keepRoles(Set.of("reader")).maxAccessTokenLifetime(Duration.ofSeconds(120))
            .maxRefreshTokenLifetime(Duration.ofSeconds(600)).claims(Map.of("team", "x")).build();

    @Test
    void anAccessTokenCarriesWhatMustOutliveTheMintAndReadsItBackAfterSigningAndParsing() throws Exception {
        AccessToken token = new AccessToken();
        CarriedObligations.carry(token, NARROWING);

        // what a verifier sees: the token as JSON, parsed back
        AccessToken parsed = JsonSerialization.readValue(JsonSerialization.writeValueAsString(token), AccessToken.class);
        Obligations carried = CarriedObligations.read(parsed);

        assertThat(carried.keepScopes()).containsExactly("orders:read");
        assertThat(carried.keepAudiences()).containsExactly("api-a");
        assertThat(carried.keepRoles()).containsExactly("reader");
        assertThat(carried.maxAccessTokenLifetime()).isEqualTo(Duration.ofSeconds(120));
        assertThat(carried.refreshTokenAllowed()).isTrue();
        assertThat(carried.maxRefreshTokenLifetime()).as("per mint, not carried").isNull();
        assertThat(carried.claims()).as("per mint, not carried").isEmpty();
    }

    @Test
    void aForbiddenRefreshTokenIsCarriedSoThatAnExchangeCannotGetOne() {
        AccessToken token = new AccessToken();
        CarriedObligations.carry(token, Obligations.builder().refreshTokenAllowed(false).build());
        assertThat(CarriedObligations.read(token).refreshTokenAllowed()).isFalse();
    }

    @Test
    void carryingAgainIntersectsWithWhatTheTokenAlreadyCarries() {
        RefreshToken token = new RefreshToken(new AccessToken(), null, null);
        CarriedObligations.carry(token, NARROWING);
        CarriedObligations.carry(token, Obligations.builder().keepScopes(Set.of("orders:read", "orders:write"))
                .keepAudiences(Set.of("api-b")).maxAccessTokenLifetime(Duration.ofSeconds(60)).build());

        Obligations carried = CarriedObligations.read(token);
        assertThat(carried.keepScopes()).containsExactly("orders:read");
        assertThat(carried.keepAudiences()).isEmpty();
        assertThat(carried.keepRoles()).containsExactly("reader");
        assertThat(carried.maxAccessTokenLifetime()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void obligationsThatOnlyAddClaimsLeaveNoClaimAndATokenWithoutOneCarriesNothing() {
        AccessToken token = new AccessToken();
        CarriedObligations.carry(token, Obligations.builder().maxRefreshTokenLifetime(Duration.ofSeconds(5)).claims(Map.of("a", 1)).build());
        assertThat(token.getOtherClaims()).doesNotContainKey(CarriedObligations.CLAIM);
        assertThat(CarriedObligations.read(token)).isEqualTo(Obligations.NONE);
        assertThat(CarriedObligations.read(null)).isEqualTo(Obligations.NONE);
    }

    @Test
    void aClaimThatCannotBeReadIsRefusedNotIgnored() {
        for (Object unreadable : List.of("keepScopes", List.of("a"), Map.of("keepScopes", "orders:read"),
                Map.of("keepRoles", List.of(1)), Map.of("maxAccessTokenLifetime", "120s"),
                Map.of("maxAccessTokenLifetime", -1), Map.of("refreshToken", "no"), Map.of("keepTenants", List.of("t")))) {
            assertThatThrownBy(() -> CarriedObligations.decode(unreadable)).as("%s", unreadable)
                    .isInstanceOf(CarriedObligations.Unreadable.class);
        }
    }
}
