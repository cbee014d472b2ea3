package io.mintgate.authorizer.keycloak.services;

import io.mintgate.authorizer.authzen.HttpAuthzenClient;
import io.mintgate.authorizer.authzen.Secrets;
import io.mintgate.authorizer.policy.authzen.AuthzenClient;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.tracing.TracingProvider;
import org.keycloak.vault.VaultStringSecret;

/**
 * The AuthZEN facility of this node: one shared {@link HttpAuthzenClient}; per request, PDP state is scoped to the
 * realm, secret fields resolve through the realm's vault ({@code ${vault.key}}, Keycloak's own syntax), and each
 * call is a tracing span when Keycloak's tracing is on ({@link PdpCallSpans}).
 */
final class KeycloakAuthzen {

    private static final HttpAuthzenClient NODE = new HttpAuthzenClient(io.micrometer.core.instrument.Metrics.globalRegistry);

    private KeycloakAuthzen() {
    }

    static AuthzenClient forSession(KeycloakSession session) {
        RealmModel realm = session.getContext().getRealm();
        return NODE.forTenant(realm == null ? "" : realm.getId(), vault(session),
                PdpCallSpans.of(session.getProvider(TracingProvider.class)));
    }

    private static Secrets vault(KeycloakSession session) {
        return value -> {
            // The transcriber returns a plain value as is and looks ${vault.key} up in the configured vault.
            try (VaultStringSecret secret = session.vault().getStringSecret(value)) {
                return secret.get().orElse(null);
            }
        };
    }
}
