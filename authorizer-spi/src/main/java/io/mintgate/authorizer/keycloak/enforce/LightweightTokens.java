package io.mintgate.authorizer.keycloak.enforce;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.encode.AccessTokenContext;
import org.keycloak.protocol.oidc.encode.TokenContextEncoderProvider;
import org.keycloak.representations.AccessToken;

/**
 * Whether an access token was issued lightweight (no {@code aud}, no roles, only the claims of mappers switched on
 * for lightweight tokens). Keycloak records the kind in the token id, whether the client attribute or the
 * {@code use-lightweight-access-token} executor asked for it; an id it cannot read counts as a full token, which is
 * the stricter reading for a re-derived answer.
 */
final class LightweightTokens {

    private LightweightTokens() {
    }

    static boolean isLightweight(KeycloakSession session, AccessToken token) {
        TokenContextEncoderProvider encoder = session.getProvider(TokenContextEncoderProvider.class);
        return token.getId() != null && encoder != null && AccessTokenContext.TokenType.LIGHTWEIGHT
                .equals(encoder.getTokenContextFromTokenId(token.getId()).getTokenType());
    }
}
