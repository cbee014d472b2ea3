package io.mintgate.authorizer.keycloak.mappers;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.mintgate.authorizer.keycloak.context.ScopeStrings;
import io.mintgate.authorizer.keycloak.enforce.MapperNarrowing;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.cel.Glob;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.representations.AccessToken;

/**
 * Protocol mapper {@code mintgate-scope-limit}: keeps only the token scopes that match one of the configured globs
 * ({@code openid} always stays: it marks an OIDC request, not a grant of access). The token response's {@code scope}
 * and the refresh token follow the token (RFC 6749 §5.1).
 */
public final class ScopeLimitMapper extends NarrowingMapper {

    public static final String PROVIDER_ID = "mintgate-scope-limit";
    static final String SCOPES = "scopes";

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property().name(SCOPES).label("mintgate.mapper.scopes.label").helpText("mintgate.mapper.scopes.help")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).required(true).add()
            .build();

    @Override
    void narrow(AccessToken token, ProtocolMapperModel model, KeycloakSession session, ClientSessionContext clientSessionCtx) {
        String scope = token.getScope();
        if (scope == null || scope.isBlank()) {
            return;
        }
        List<String> patterns = MapperSettings.list(model.getConfig(), SCOPES);
        Set<String> kept = new LinkedHashSet<>();
        for (String s : ScopeStrings.split(scope)) {
            if (Glob.matchesAny(patterns, s)) {
                kept.add(s);
            }
        }
        MapperNarrowing.apply(session, Obligations.builder().keepScopes(kept).build(), token, clientSessionCtx);
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel client,
                               ProtocolMapperModel model) throws ProtocolMapperConfigException {
        if (MapperSettings.list(model.getConfig(), SCOPES).isEmpty()) {
            throw MapperSettings.invalid(SCOPES, "at least one scope or glob (e.g. billing:*) is required");
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Mintgate scope limit";
    }

    @Override
    public String getHelpText() {
        return "Keeps only the scopes that match one of the listed globs (* and ?), after every built-in mapper; the"
                + " token response's scope and the refresh token follow, so a refresh never yields more.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
