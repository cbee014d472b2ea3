package io.mintgate.authorizer.keycloak.mappers;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.keycloak.enforce.MapperNarrowing;
import io.mintgate.authorizer.keycloak.handoff.RequestLedger;
import io.mintgate.authorizer.policy.Obligations;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenResponseMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;

/**
 * Protocol mapper {@code mintgate-lifetime-cap}: caps the access token's lifetime ({@code exp - iat}), optionally the
 * refresh token's, and can withhold the refresh token. The ID token takes the access token's {@code exp}. Keycloak
 * writes {@code expires_in} as {@code exp - now} at signing, which can lag a second behind the token; as a response
 * mapper this sets it to the signed token's own {@code exp - iat}.
 */
public final class LifetimeCapMapper extends NarrowingMapper implements OIDCAccessTokenResponseMapper {

    public static final String PROVIDER_ID = "mintgate-lifetime-cap";
    static final String ACCESS_TOKEN_LIFETIME = "access.token.lifetime";
    static final String REFRESH_TOKEN_LIFETIME = "refresh.token.lifetime";
    static final String REFRESH_TOKEN_ISSUED = "refresh.token.issued";

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property().name(ACCESS_TOKEN_LIFETIME).label("mintgate.mapper.access-token-lifetime.label")
            .helpText("mintgate.mapper.access-token-lifetime.help").type(ProviderConfigProperty.STRING_TYPE).add()
            .property().name(REFRESH_TOKEN_LIFETIME).label("mintgate.mapper.refresh-token-lifetime.label")
            .helpText("mintgate.mapper.refresh-token-lifetime.help").type(ProviderConfigProperty.STRING_TYPE).add()
            .property().name(REFRESH_TOKEN_ISSUED).label("mintgate.mapper.refresh-token-issued.label")
            .helpText("mintgate.mapper.refresh-token-issued.help").type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("true").add()
            .build();

    @Override
    void narrow(AccessToken token, ProtocolMapperModel model, KeycloakSession session, ClientSessionContext clientSessionCtx) {
        Map<String, String> config = model.getConfig();
        Duration access = MapperSettings.duration(config, ACCESS_TOKEN_LIFETIME);
        Duration refresh = MapperSettings.duration(config, REFRESH_TOKEN_LIFETIME);
        MapperNarrowing.apply(session, Obligations.builder().maxAccessTokenLifetime(access).maxRefreshTokenLifetime(refresh).build(), token, clientSessionCtx);
        RequestLedger.of(session).capped(token);
    }

    @Override
    public AccessTokenResponse transformAccessTokenResponse(AccessTokenResponse response, ProtocolMapperModel model,
                                                            KeycloakSession session, UserSessionModel userSession,
                                                            ClientSessionContext clientSessionCtx) {
        AccessToken token = RequestLedger.of(session).cappedToken();
        if (response == null || token == null) {
            return response;
        }
        if (token.getExp() != null && token.getExp() != 0 && token.getIat() != null && response.getToken() != null) {
            response.setExpiresIn(token.getExp() - token.getIat());
        }
        if (!refreshTokenIssued(model) && response.getRefreshToken() != null) {
            // Dropped from the response, not merely expired: the client never holds a refresh token.
            response.setRefreshToken(null);
            response.setRefreshExpiresIn(0);
            MapperNarrowing.recordRemoved(session, "refresh_token:-");
        }
        return response;
    }

    private static boolean refreshTokenIssued(ProtocolMapperModel model) {
        return !"false".equalsIgnoreCase(model.getConfig().get(REFRESH_TOKEN_ISSUED));
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel client,
                               ProtocolMapperModel model) throws ProtocolMapperConfigException {
        Map<String, String> config = model.getConfig();
        boolean any = false;
        for (String key : List.of(ACCESS_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME)) {
            String value = config.get(key);
            if (value != null && !value.isBlank()) {
                MapperSettings.parseDuration(key, value);
                any = true;
            }
        }
        String issued = config.get(REFRESH_TOKEN_ISSUED);
        if (issued != null && !issued.isBlank() && !"true".equalsIgnoreCase(issued) && !"false".equalsIgnoreCase(issued)) {
            throw MapperSettings.invalid(REFRESH_TOKEN_ISSUED, "true or false, got " + issued);
        }
        if (!any && refreshTokenIssued(model)) {
            throw MapperSettings.invalid(ACCESS_TOKEN_LIFETIME, "set a lifetime (e.g. PT5M or 300), or "
                    + REFRESH_TOKEN_LIFETIME + ", or " + REFRESH_TOKEN_ISSUED + " = false; as it is, this mapper changes nothing");
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Mintgate lifetime cap";
    }

    @Override
    public String getHelpText() {
        return "Caps the access token's lifetime (and optionally the refresh token's; seconds or ISO-8601 such as PT5M),"
                + " or withholds the refresh token. expires_in in the response equals the token's exp - iat.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
