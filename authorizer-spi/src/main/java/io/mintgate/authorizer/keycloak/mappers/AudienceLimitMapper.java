package io.mintgate.authorizer.keycloak.mappers;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.mintgate.authorizer.keycloak.enforce.MapperNarrowing;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.cel.Glob;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.representations.AccessToken;

/**
 * Protocol mapper {@code mintgate-audience-limit}: keeps only the access token audiences that match one of the
 * configured globs; when none remain, the token gets the configured fixed audience, or no {@code aud} at all. The ID
 * token is not touched: its {@code aud} must stay the client (OIDC Core §2). Introspection is narrowed the same way,
 * since Keycloak re-runs the audience mappers there and would otherwise report the audiences removed from the token.
 */
public final class AudienceLimitMapper extends NarrowingMapper implements TokenIntrospectionTokenMapper {

    public static final String PROVIDER_ID = "mintgate-audience-limit";
    static final String AUDIENCES = "audiences";
    static final String WHEN_NONE_REMAIN = "audience.when.none.remain";

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property().name(AUDIENCES).label("mintgate.mapper.audiences.label").helpText("mintgate.mapper.audiences.help")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
            .property().name(WHEN_NONE_REMAIN).label("mintgate.mapper.audience-when-none-remain.label")
            .helpText("mintgate.mapper.audience-when-none-remain.help").type(ProviderConfigProperty.STRING_TYPE).add()
            .build();

    @Override
    void narrow(AccessToken token, ProtocolMapperModel model, KeycloakSession session, ClientSessionContext clientSessionCtx) {
        Set<String> kept = kept(token, model);
        if (token.getAudience() == null && kept.isEmpty()) {
            return;
        }
        // Applied (and carried into the refresh token) even when nothing is removed now: a refresh must not gain
        // an audience that this mint did not have.
        MapperNarrowing.apply(session, Obligations.builder().keepAudiences(kept).build(), token, clientSessionCtx);
        finish(token, kept);
    }

    /** Keycloak rebuilds the introspection answer from a copy of the token plus the introspection mappers. */
    @Override
    public AccessToken transformIntrospectionToken(AccessToken token, ProtocolMapperModel model, KeycloakSession session,
                                                   UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        if (token != null) {
            finish(token, kept(token, model));
        }
        return token;
    }

    /** The audiences to keep: those matching a glob, else the fixed audience, else none. */
    private static Set<String> kept(AccessToken token, ProtocolMapperModel model) {
        List<String> patterns = MapperSettings.list(model.getConfig(), AUDIENCES);
        Set<String> kept = new LinkedHashSet<>();
        if (token.getAudience() != null) {
            Arrays.stream(token.getAudience()).filter(a -> Glob.matchesAny(patterns, a)).forEach(kept::add);
        }
        String fixed = model.getConfig().get(WHEN_NONE_REMAIN);
        if (kept.isEmpty() && fixed != null && !fixed.isBlank()) {
            kept.add(fixed.trim());
        }
        return kept;
    }

    /** A fixed audience is set rather than kept; an empty list is dropped rather than serialized as {@code "aud": []}. */
    private static void finish(AccessToken token, Set<String> kept) {
        token.audience(kept.isEmpty() ? null : kept.toArray(String[]::new));
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel client,
                               ProtocolMapperModel model) throws ProtocolMapperConfigException {
        String fixed = model.getConfig().get(WHEN_NONE_REMAIN);
        if (MapperSettings.list(model.getConfig(), AUDIENCES).isEmpty() && (fixed == null || fixed.isBlank())) {
            throw MapperSettings.invalid(AUDIENCES, "list at least one audience or glob, or set "
                    + WHEN_NONE_REMAIN + " to replace every audience with a fixed one");
        }
        if (fixed != null && (fixed.contains("*") || fixed.contains("?"))) {
            throw MapperSettings.invalid(WHEN_NONE_REMAIN, "a fixed audience, not a glob: " + fixed);
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Mintgate audience limit";
    }

    @Override
    public String getHelpText() {
        return "Keeps only the access-token audiences that match one of the listed globs, after every built-in mapper;"
                + " optionally a fixed audience when none remain. The ID token's audience stays the client.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
