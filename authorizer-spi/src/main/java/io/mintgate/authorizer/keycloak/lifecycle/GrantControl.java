package io.mintgate.authorizer.keycloak.lifecycle;

import java.util.Locale;

/** What the issuance controls do with a grant that policy does not allow on a new or changed identity. */
public enum GrantControl {
    /** Not controlled: the client may have it. */
    ALLOW,
    /** The creation or change is refused with 400 invalid_client_metadata naming the field. */
    REFUSE,
    /** The grant is switched off in the proposed representation before Keycloak saves it. */
    STRIP;

    /** Config spelling: {@code allow}, {@code refuse}, {@code strip}; null or blank means the given default. */
    static GrantControl parse(String value, GrantControl fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be one of allow, refuse, strip (was '" + value.trim() + "')");
        }
    }

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
