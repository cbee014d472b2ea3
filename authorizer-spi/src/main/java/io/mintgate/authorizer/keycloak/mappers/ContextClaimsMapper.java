package io.mintgate.authorizer.keycloak.mappers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.mintgate.authorizer.keycloak.context.NhiAttributes;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.representations.IDToken;

/**
 * Protocol mapper {@code mintgate-context-claims}: one JSON object claim (default {@code mintgate}) with facts of
 * this issuance that a resource server can act on: the issuance-authorizer's decision id, the grant type, the client
 * and the non-human identity's owner, purpose and expiry (client attributes {@code mintgate.owner},
 * {@code mintgate.purpose}, {@code mintgate.expires-at}). Facts that are absent are left out, never invented.
 */
public final class ContextClaimsMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, TokenIntrospectionTokenMapper {

    public static final String PROVIDER_ID = "mintgate-context-claims";
    static final String CLAIMS = "claims";
    static final String DEFAULT_CLAIM_NAME = "mintgate";

    static final String DECISION_ID = "decision_id";
    static final String GRANT_TYPE = "grant_type";
    static final String CLIENT_ID = "client_id";
    static final String OWNER = "owner";
    static final String PURPOSE = "purpose";
    static final String EXPIRES_AT = "expires_at";
    static final List<String> FACTS = List.of(DECISION_ID, GRANT_TYPE, CLIENT_ID, OWNER, PURPOSE, EXPIRES_AT);

    /** Registered claims and Keycloak's own: a context object must not shadow what the token already means. */
    private static final Set<String> RESERVED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "azp", "typ",
            "scope", "sid", "nonce", "acr", "auth_time", "at_hash", "c_hash", "cnf", "act", "may_act", "client_id",
            "realm_access", "resource_access", "allowed-origins", "preferred_username", "email", "name");

    private static final List<ProviderConfigProperty> CONFIG;

    static {
        CONFIG = new ArrayList<>(ProviderConfigurationBuilder.create()
                .property().name(OIDCAttributeMapperHelper.TOKEN_CLAIM_NAME).label("mintgate.mapper.claim-name.label")
                .helpText("mintgate.mapper.claim-name.help").type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(DEFAULT_CLAIM_NAME).add()
                .property().name(CLAIMS).label("mintgate.mapper.claims.label").helpText("mintgate.mapper.claims.help")
                .type(ProviderConfigProperty.MULTIVALUED_LIST_TYPE).options(FACTS)
                .defaultValue(String.join(Constants.CFG_DELIMITER, FACTS)).add()
                .build());
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(CONFIG, ContextClaimsMapper.class);
    }

    /** Before the narrowing mappers (whatever they remove, this object is not theirs to narrow), after the built-ins. */
    @Override
    public int getPriority() {
        return NarrowingMapper.PRIORITY - 10;
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel model, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        String claimName = claimName(model);
        // A name that slipped past validation (realm import) must not overwrite a registered claim.
        if (clientSessionCtx == null || clientSessionCtx.getClientSession() == null || !allowedName(claimName)) {
            return;
        }
        List<String> wanted = facts(model);
        Map<String, Object> facts = new LinkedHashMap<>();
        if (wanted.contains(GRANT_TYPE)) {
            putIfPresent(facts, GRANT_TYPE, clientSessionCtx.getAttribute(Constants.GRANT_TYPE, String.class));
        }
        ClientModel client = clientSessionCtx.getClientSession().getClient();
        if (wanted.contains(CLIENT_ID)) {
            putIfPresent(facts, CLIENT_ID, client.getClientId());
        }
        if (wanted.contains(OWNER)) {
            putIfPresent(facts, OWNER, client.getAttribute(NhiAttributes.OWNER));
        }
        if (wanted.contains(PURPOSE)) {
            putIfPresent(facts, PURPOSE, client.getAttribute(NhiAttributes.PURPOSE));
        }
        if (wanted.contains(EXPIRES_AT)) {
            putIfPresent(facts, EXPIRES_AT, epochSeconds(client.getAttribute(NhiAttributes.EXPIRES_AT)));
        }
        if (wanted.contains(DECISION_ID)) {
            // Most paths decide after the mappers ran (at the token-response event or in the post-processor).
            DecisionIdClaims.fillWhenDecided(session, facts);
        }
        token.getOtherClaims().put(claimName, facts);
    }

    private static List<String> facts(ProtocolMapperModel model) {
        return model.getConfig().containsKey(CLAIMS) ? MapperSettings.list(model.getConfig(), CLAIMS) : FACTS;
    }

    static String claimName(ProtocolMapperModel model) {
        String name = model.getConfig().get(OIDCAttributeMapperHelper.TOKEN_CLAIM_NAME);
        return name == null || name.isBlank() ? DEFAULT_CLAIM_NAME : name.trim();
    }

    private static boolean allowedName(String name) {
        return !RESERVED.contains(name) && !name.contains(".");
    }

    /** NumericDate, like {@code exp}; an unparsable expiry is left out (the executor treats it as expired). */
    /** Null when absent or unparsable: a claim states only what is known. */
    private static Long epochSeconds(String instant) {
        Instant parsed = NhiAttributes.parseExpiry(instant);
        return parsed == null || parsed == NhiAttributes.UNPARSABLE ? null : parsed.getEpochSecond();
    }

    private static void putIfPresent(Map<String, Object> facts, String name, Object value) {
        if (value != null && !(value instanceof String s && s.isBlank())) {
            facts.put(name, value);
        }
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel client,
                               ProtocolMapperModel model) throws ProtocolMapperConfigException {
        String name = claimName(model);
        if (!allowedName(name)) {
            throw MapperSettings.invalid(OIDCAttributeMapperHelper.TOKEN_CLAIM_NAME, name
                    + " is a registered or Keycloak claim (or contains a dot); choose another name, e.g. mintgate");
        }
        for (String fact : MapperSettings.list(model.getConfig(), CLAIMS)) {
            if (!FACTS.contains(fact)) {
                throw MapperSettings.invalid(CLAIMS, "unknown fact " + fact + ", expected one of " + FACTS);
            }
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayCategory() {
        return NarrowingMapper.CATEGORY;
    }

    @Override
    public String getDisplayType() {
        return "Mintgate context claims";
    }

    @Override
    public String getHelpText() {
        return "Adds one JSON object claim with facts of this issuance: Mintgate decision id, grant type, client,"
                + " and the non-human identity's owner, purpose and expiry.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
