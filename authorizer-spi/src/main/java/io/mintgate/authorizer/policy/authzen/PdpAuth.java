package io.mintgate.authorizer.policy.authzen;

import java.net.URI;

/**
 * How Mintgate authenticates to a PDP. Secret fields hold either the secret or, preferably, a Keycloak vault
 * reference {@code ${vault.key}}; they are resolved only when a call is made, never logged.
 */
public sealed interface PdpAuth {

    /** No Authorization header (a PDP on a trusted network, e.g. a sidecar). */
    record None() implements PdpAuth {
    }

    /** A static bearer token (RFC 6750), e.g. a PDP API key. */
    record Bearer(String token) implements PdpAuth {
        @Override
        public String toString() {
            return "Bearer[token=***]";
        }
    }

    /** A bearer token obtained with the OAuth 2.0 client credentials grant (RFC 6749 §4.4) and reused until it expires. */
    record ClientCredentials(URI tokenUrl, String clientId, String clientSecret, String scope) implements PdpAuth {
        @Override
        public String toString() {
            return "ClientCredentials[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret=***]";
        }
    }

    PdpAuth NONE = new None();
}
