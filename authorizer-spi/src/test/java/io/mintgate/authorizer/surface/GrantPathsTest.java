package io.mintgate.authorizer.surface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class GrantPathsTest {

    /** A confidential client with every switch off; tests turn on what they need. */
    static ClientSurface.Builder client() {
        return new ClientSurface.Builder();
    }

    @Test
    void aBearerOnlyClientHasNoPathEvenWithFlowsOn() {
        assertThat(GrantPaths.of(client().bearerOnly().standardFlow().build())).isEmpty();
    }

    @Test
    void theCodeFlowBringsParAndRefreshAndOfflineWhenItsScopeIsThere() {
        assertThat(GrantPaths.of(client().standardFlow().offlineScope().build())).containsExactly(
                GrantPath.AUTHORIZATION_CODE, GrantPath.PUSHED_AUTHORIZATION_REQUEST, GrantPath.REFRESH_TOKEN,
                GrantPath.OFFLINE_ACCESS);
        assertThat(GrantPaths.of(client().standardFlow().noRefreshTokens().offlineScope().build()))
                .containsExactly(GrantPath.AUTHORIZATION_CODE, GrantPath.PUSHED_AUTHORIZATION_REQUEST);
    }

    @Test
    void standardAndImplicitTogetherAreTheHybridFlow() {
        assertThat(GrantPaths.of(client().standardFlow().implicit().build()))
                .contains(GrantPath.IMPLICIT, GrantPath.HYBRID);
        assertThat(GrantPaths.of(client().implicit().build())).containsExactly(GrantPath.IMPLICIT);
    }

    @Test
    void clientCredentialsNeedAConfidentialClientAndRefreshTokensOnlyWhenAskedFor() {
        assertThat(GrantPaths.of(client().serviceAccounts().build())).containsExactly(GrantPath.CLIENT_CREDENTIALS);
        assertThat(GrantPaths.of(client().serviceAccounts().clientCredentialsRefresh().build()))
                .containsExactly(GrantPath.CLIENT_CREDENTIALS, GrantPath.REFRESH_TOKEN);
        assertThat(GrantPaths.of(client().publicClient().serviceAccounts().build())).isEmpty();
    }

    @Test
    void cibaAndTokenExchangeAreForConfidentialClients() {
        assertThat(GrantPaths.of(client().ciba().tokenExchange().noRefreshTokens().build()))
                .containsExactly(GrantPath.CIBA, GrantPath.TOKEN_EXCHANGE);
        assertThat(GrantPaths.of(client().publicClient().ciba().tokenExchange().noRefreshTokens().build())).isEmpty();
    }

    @Test
    void umaWhereTheRealmHasAResourceServerAndTheRestByTheirSwitch() {
        assertThat(GrantPaths.of(client().deviceGrant().jwtGrant().oid4vci().resourceServers().noRefreshTokens().build()))
                .containsExactly(GrantPath.DEVICE_CODE, GrantPath.JWT_AUTHORIZATION_GRANT, GrantPath.UMA,
                        GrantPath.OID4VCI);
    }

    @Test
    void wireNamesRoundTripAndAnUnknownOneListsTheKnown() {
        for (GrantPath p : GrantPath.values()) {
            assertThat(GrantPath.fromWireName(p.wireName())).isEqualTo(p);
        }
        assertThatThrownBy(() -> GrantPath.fromWireName("implicit_grant"))
                .hasMessageContaining("unknown grant path 'implicit_grant'").hasMessageContaining("device_code");
        assertThat(List.of(GrantPath.values())).hasSize(14);
    }
}
