package io.mintgate.authorizer.keycloak.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;

class IdTokenLifetimeTest {

    @Test
    void theIdTokenIsCutToTheNarrowedAccessTokenButNeverExtended() {
        AccessToken access = new AccessToken();
        access.exp(1_120L);
        IDToken longer = new IDToken();
        longer.exp(4_600L);
        IDToken shorter = new IDToken();
        shorter.exp(1_000L);

        IdTokenLifetime.follow(longer, access);
        IdTokenLifetime.follow(shorter, access);
        IdTokenLifetime.follow(null, access);

        assertThat(longer.getExp()).isEqualTo(1_120L);
        assertThat(shorter.getExp()).isEqualTo(1_000L);
    }
}
