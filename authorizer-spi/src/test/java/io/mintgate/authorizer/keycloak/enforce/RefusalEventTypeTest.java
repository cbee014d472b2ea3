package io.mintgate.authorizer.keycloak.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.keycloak.OAuth2Constants;
import org.keycloak.events.EventType;

/** The event under which the post-processor reports a refusal: the grant's own Keycloak event type. */
class RefusalEventTypeTest {

    @Test
    void preAuthorizedCodeRefusalIsReportedAsTheVerifiableCredentialGrantEvent() {
        assertThat(IssuancePostProcessor.eventType("urn:ietf:params:oauth:grant-type:pre-authorized_code"))
                .isEqualTo(EventType.VERIFIABLE_CREDENTIAL_PRE_AUTHORIZED_GRANT);
    }

    @Test
    void postProcessorGrantPathsKeepTheirOwnEventTypes() {
        assertThat(IssuancePostProcessor.eventType(OAuth2Constants.UMA_GRANT_TYPE)).isEqualTo(EventType.PERMISSION_TOKEN);
        assertThat(IssuancePostProcessor.eventType(OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE))
                .isEqualTo(EventType.TOKEN_EXCHANGE);
        assertThat(IssuancePostProcessor.eventType(OAuth2Constants.JWT_AUTHORIZATION_GRANT))
                .isEqualTo(EventType.JWT_AUTHORIZATION_GRANT);
    }
}
