package io.mintgate.authorizer.keycloak.surface;

import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.keycloak.context.NhiAttributes;
import io.mintgate.authorizer.surface.ClientSurface;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.CibaConfig;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.OAuth2DeviceConfig;
import org.keycloak.models.ParConfig;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.OIDCConfigAttributes;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper.TokenExchangeRefreshTokenEnabled;

/** Reads the facts of {@link ClientSurface} from a Keycloak client, with Keycloak's defaults where none is set. */
public final class ClientSurfaceReader {

    private static final String OID4VCI_ENABLED = "oid4vci.enabled";

    private ClientSurfaceReader() {
    }

    public static ClientSurface read(RealmModel realm, ClientModel client, boolean realmHasResourceServers) {
        OIDCAdvancedConfigWrapper config = OIDCAdvancedConfigWrapper.fromClientModel(client);
        Map<String, String> a = client.getAttributes();
        return new ClientSurface(client.getClientId(), client.getId(), client.isPublicClient(), client.isBearerOnly(),
                client.isStandardFlowEnabled(), client.isImplicitFlowEnabled(), client.isDirectAccessGrantsEnabled(),
                client.isServiceAccountsEnabled(),
                on(a, OAuth2DeviceConfig.OAUTH2_DEVICE_AUTHORIZATION_GRANT_ENABLED),
                on(a, CibaConfig.OIDC_CIBA_GRANT_ENABLED),
                on(a, OIDCConfigAttributes.STANDARD_TOKEN_EXCHANGE_ENABLED),
                config.getStandardTokenExchangeRefreshEnabled() != TokenExchangeRefreshTokenEnabled.NO,
                config.getJWTAuthorizationGrantEnabled(),
                config.getJWTAuthorizationGrantAllowedIdentityProviders(),
                on(a, OID4VCI_ENABLED),
                on(a, ParConfig.REQUIRE_PUSHED_AUTHORIZATION_REQUESTS),
                config.isUseRefreshToken(),
                config.isUseRefreshTokenForClientCredentialsGrant(),
                hasOfflineAccessScope(client),
                config.isUseDPoP(),
                config.isUseMtlsHokToken(),
                realm.isRevokeRefreshToken(),
                List.copyOf(client.getRedirectUris()),
                client.isFullScopeAllowed(),
                accessTokenLifespan(realm, a),
                realmHasResourceServers,
                a.get(NhiAttributes.OWNER),
                a.get(NhiAttributes.EXPIRES_AT));
    }

    private static boolean on(Map<String, String> attributes, String name) {
        return Boolean.parseBoolean(attributes.get(name));
    }

    private static boolean hasOfflineAccessScope(ClientModel client) {
        return scopeNamed(client.getClientScopes(true)) || scopeNamed(client.getClientScopes(false));
    }

    private static boolean scopeNamed(Map<String, ClientScopeModel> scopes) {
        return scopes.containsKey(OAuth2Constants.OFFLINE_ACCESS);
    }

    private static long accessTokenLifespan(RealmModel realm, Map<String, String> attributes) {
        String own = attributes.get(OIDCConfigAttributes.ACCESS_TOKEN_LIFESPAN);
        if (own != null && !own.isBlank()) {
            try {
                long seconds = Long.parseLong(own.trim());
                if (seconds > 0) {
                    return seconds;
                }
            } catch (NumberFormatException ignored) {
                // Keycloak ignores an unreadable value too and uses the realm's.
            }
        }
        return realm.getAccessTokenLifespan();
    }
}
