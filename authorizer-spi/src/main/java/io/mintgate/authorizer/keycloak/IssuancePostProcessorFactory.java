package io.mintgate.authorizer.keycloak;

import io.mintgate.authorizer.keycloak.enforce.IssuancePostProcessor;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.token.TokenPostProcessor;
import org.keycloak.protocol.oidc.token.TokenPostProcessorFactory;

/** Token post-processor {@code mintgate-issuance}: the backstop that sees every token build. */
public final class IssuancePostProcessorFactory implements TokenPostProcessorFactory {

    public static final String PROVIDER_ID = "mintgate-issuance";

    @Override
    public TokenPostProcessor create(KeycloakSession session) {
        return new IssuancePostProcessor(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
