package io.mintgate.it.grants;

import static io.mintgate.it.grants.GrantAssertions.assertMinted;
import static io.mintgate.it.grants.GrantAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.CibaAuthenticationDevice;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenID Connect Client-Initiated Backchannel Authentication (CIBA, poll mode) end to end: the consumption device
 * starts a backchannel authentication for a user ({@code login_hint}); Keycloak's HTTP authentication channel posts
 * it to this test, which plays the authentication device and approves through Keycloak's callback endpoint; the
 * consumption device then polls the token endpoint with its {@code auth_req_id}. Mintgate decides at that exchange.
 */
@MintgateIT
class CibaGrantIT {

    private static final String GRANT = "urn:openid:params:grant-type:ciba";

    private CibaAuthenticationDevice authenticationDevice;
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void start(AdminApi admin, KeycloakRuntime keycloak) {
        authenticationDevice = new CibaAuthenticationDevice();
        realm = RealmFixture.create(admin, "ciba-grant.json");
        oidc = new OidcClient(keycloak, realm.name());
    }

    @AfterAll
    void stop() {
        if (realm != null) {
            realm.close();
        }
        if (authenticationDevice != null) {
            authenticationDevice.close();
        }
    }

    @Test
    @CoversGrant(value = GRANT, outcome = CoversGrant.Outcome.ALLOW)
    void authReqIdIsExchangedForATokenOnceTheDeviceApprovesAnUnflaggedUser() {
        JWTClaimsSet claims = assertMinted(oidc, authenticationDevice.run(oidc, "cd", "alice"));
        assertThat(claims.getClaim("preferred_username")).isEqualTo("alice");
        assertThat(claims.getClaim("azp")).isEqualTo("cd");
    }

    @Test
    @CoversGrant(value = GRANT, outcome = CoversGrant.Outcome.DENY)
    void authReqIdExchangeIsRefusedForAFlaggedUserEvenAfterTheDeviceApproved() {
        assertRefused(authenticationDevice.run(oidc, "cd", "mallory"), "subject_flagged");
    }

    @Test
    void authReqIdExchangeIsRefusedForAFlaggedClient() {
        assertRefused(authenticationDevice.run(oidc, "cd-flagged", "alice"), "client_flagged");
    }
}
