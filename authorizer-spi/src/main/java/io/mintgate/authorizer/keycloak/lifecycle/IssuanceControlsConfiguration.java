package io.mintgate.authorizer.keycloak.lifecycle;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;

/**
 * The {@code nhi-issuance-controls} executor's stored configuration, bound by Keycloak from the profile JSON. Absent
 * keys take the defaults the admin console shows, so a profile imported with {@code "configuration": {}} behaves
 * like one saved from the console with nothing changed.
 */
public class IssuanceControlsConfiguration extends ClientPolicyExecutorConfigurationRepresentation {

    public static final String REQUIRE_OWNER = "require-owner";
    public static final String REQUIRE_PURPOSE = "require-purpose";
    public static final String REQUIRE_EXPIRY = "require-expiry";
    public static final String MAX_LIFETIME = "max-lifetime";
    public static final String IMPLICIT_FLOW = "implicit-flow";
    public static final String DIRECT_ACCESS_GRANTS = "direct-access-grants";
    public static final String FULL_SCOPE_ALLOWED = "full-scope-allowed";
    public static final String SERVICE_ACCOUNT_STANDARD_FLOW = "service-account-standard-flow";
    public static final String SERVICE_ACCOUNT_ROLES = "service-account-roles";
    public static final String CREATOR_DEFAULTS = "creator-defaults";

    /** Defaults: the two grants that hand tokens or passwords around carelessly are refused; the rest allowed. */
    static final Map<ControlledGrant, GrantControl> DEFAULTS = Map.of(
            ControlledGrant.IMPLICIT_FLOW, GrantControl.REFUSE,
            ControlledGrant.DIRECT_ACCESS_GRANTS, GrantControl.REFUSE,
            ControlledGrant.FULL_SCOPE_ALLOWED, GrantControl.ALLOW,
            ControlledGrant.SERVICE_ACCOUNT_STANDARD_FLOW, GrantControl.ALLOW);

    @JsonProperty(REQUIRE_OWNER)
    private Boolean requireOwner;
    @JsonProperty(REQUIRE_PURPOSE)
    private Boolean requirePurpose;
    @JsonProperty(REQUIRE_EXPIRY)
    private Boolean requireExpiry;
    @JsonProperty(MAX_LIFETIME)
    private String maxLifetime;
    @JsonProperty(IMPLICIT_FLOW)
    private String implicitFlow;
    @JsonProperty(DIRECT_ACCESS_GRANTS)
    private String directAccessGrants;
    @JsonProperty(FULL_SCOPE_ALLOWED)
    private String fullScopeAllowed;
    @JsonProperty(SERVICE_ACCOUNT_STANDARD_FLOW)
    private String serviceAccountStandardFlow;
    @JsonProperty(SERVICE_ACCOUNT_ROLES)
    private List<String> serviceAccountRoles;
    @JsonProperty(CREATOR_DEFAULTS)
    private Boolean creatorDefaults;

    @JsonIgnore
    private volatile ControlSettings settings;

    static String keyOf(ControlledGrant grant) {
        return switch (grant) {
            case IMPLICIT_FLOW -> IMPLICIT_FLOW;
            case DIRECT_ACCESS_GRANTS -> DIRECT_ACCESS_GRANTS;
            case FULL_SCOPE_ALLOWED -> FULL_SCOPE_ALLOWED;
            case SERVICE_ACCOUNT_STANDARD_FLOW -> SERVICE_ACCOUNT_STANDARD_FLOW;
        };
    }

    /** Parsed once per configuration instance (Keycloak binds a fresh one whenever the profile changes). */
    @JsonIgnore
    ControlSettings settings() {
        ControlSettings parsed = settings;
        if (parsed == null) {
            Map<ControlledGrant, String> modes = new EnumMap<>(ControlledGrant.class);
            putIfSet(modes, ControlledGrant.IMPLICIT_FLOW, implicitFlow);
            putIfSet(modes, ControlledGrant.DIRECT_ACCESS_GRANTS, directAccessGrants);
            putIfSet(modes, ControlledGrant.FULL_SCOPE_ALLOWED, fullScopeAllowed);
            putIfSet(modes, ControlledGrant.SERVICE_ACCOUNT_STANDARD_FLOW, serviceAccountStandardFlow);
            parsed = ControlSettings.parse(requireOwner, requirePurpose, requireExpiry, maxLifetime, modes, DEFAULTS,
                    serviceAccountRoles, creatorDefaults);
            settings = parsed;
        }
        return parsed;
    }

    private static void putIfSet(Map<ControlledGrant, String> modes, ControlledGrant grant, String value) {
        if (value != null) {
            modes.put(grant, value);
        }
    }

    /**
     * Called by Keycloak when a profile is saved or imported. As with issuance-authorizer, the reason travels in a
     * ClientPolicyException (the admin REST API's 400 body) instead of Keycloak's bare "invalid configuration".
     */
    @Override
    public boolean validateConfig() {
        try {
            settings();
            return true;
        } catch (IllegalArgumentException e) {
            throw SneakyThrow.<RuntimeException>rethrow(new ClientPolicyException(
                    "Invalid nhi-issuance-controls configuration: " + e.getMessage()));
        }
    }

    public Boolean getRequireOwner() {
        return requireOwner;
    }

    public void setRequireOwner(Boolean requireOwner) {
        this.requireOwner = requireOwner;
    }

    public Boolean getRequirePurpose() {
        return requirePurpose;
    }

    public void setRequirePurpose(Boolean requirePurpose) {
        this.requirePurpose = requirePurpose;
    }

    public Boolean getRequireExpiry() {
        return requireExpiry;
    }

    public void setRequireExpiry(Boolean requireExpiry) {
        this.requireExpiry = requireExpiry;
    }

    public String getMaxLifetime() {
        return maxLifetime;
    }

    public void setMaxLifetime(String maxLifetime) {
        this.maxLifetime = maxLifetime;
    }

    public String getImplicitFlow() {
        return implicitFlow;
    }

    public void setImplicitFlow(String implicitFlow) {
        this.implicitFlow = implicitFlow;
    }

    public String getDirectAccessGrants() {
        return directAccessGrants;
    }

    public void setDirectAccessGrants(String directAccessGrants) {
        this.directAccessGrants = directAccessGrants;
    }

    public String getFullScopeAllowed() {
        return fullScopeAllowed;
    }

    public void setFullScopeAllowed(String fullScopeAllowed) {
        this.fullScopeAllowed = fullScopeAllowed;
    }

    public String getServiceAccountStandardFlow() {
        return serviceAccountStandardFlow;
    }

    public void setServiceAccountStandardFlow(String serviceAccountStandardFlow) {
        this.serviceAccountStandardFlow = serviceAccountStandardFlow;
    }

    public List<String> getServiceAccountRoles() {
        return serviceAccountRoles;
    }

    public void setServiceAccountRoles(List<String> serviceAccountRoles) {
        this.serviceAccountRoles = serviceAccountRoles;
    }

    public Boolean getCreatorDefaults() {
        return creatorDefaults;
    }

    public void setCreatorDefaults(Boolean creatorDefaults) {
        this.creatorDefaults = creatorDefaults;
    }

    /** Keycloak's contract for validateConfig is a boolean; a checked exception needs to get past it. */
    private static final class SneakyThrow {
        @SuppressWarnings("unchecked")
        static <T extends Throwable> T rethrow(Throwable t) throws T {
            throw (T) t;
        }
    }
}
