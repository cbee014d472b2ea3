package io.mintgate.authorizer.keycloak.mappers;

import io.mintgate.authorizer.keycloak.IssuancePostProcessorFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.token.TokenPostProcessor;
import org.keycloak.protocol.oidc.token.TokenPostProcessorFactory;

/** Token post-processor {@code mintgate-decision-id-claims}: fills the context claims' decision id before signing. */
public final class DecisionIdClaimsFactory implements TokenPostProcessorFactory {

    public static final String PROVIDER_ID = "mintgate-decision-id-claims";

    @Override
    public TokenPostProcessor create(KeycloakSession session) {
        return new DecisionIdClaims(session);
    }

    /** Keycloak runs post-processors by descending order: after {@link IssuancePostProcessorFactory} (order 0). */
    @Override
    public int order() {
        return -10;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
