package io.mintgate.authorizer.surface;

/**
 * A way a client can obtain a token from the realm, as the issuance-surface inventory names it. The wire name is
 * the OAuth grant (or flow) it stands for.
 */
public enum GrantPath {
    /** RFC 6749 §4.1, the standard flow. */
    AUTHORIZATION_CODE("authorization_code"),
    /** RFC 6749 §4.2: tokens from the authorization endpoint. */
    IMPLICIT("implicit"),
    /** OpenID Connect Core §3.3: code plus tokens from the authorization endpoint (standard and implicit flow on). */
    HYBRID("hybrid"),
    /** RFC 9126: the authorization request pushed first; it ends in the code flow. */
    PUSHED_AUTHORIZATION_REQUEST("par"),
    /** RFC 6749 §4.3, direct access grants. */
    PASSWORD("password"),
    /** RFC 6749 §4.4, service accounts. */
    CLIENT_CREDENTIALS("client_credentials"),
    /** RFC 6749 §6. */
    REFRESH_TOKEN("refresh_token"),
    /** OpenID Connect Core §11: a refresh token that outlives the login session. */
    OFFLINE_ACCESS("offline_access"),
    /** RFC 8628. */
    DEVICE_CODE("device_code"),
    /** OpenID Connect CIBA Core 1.0. */
    CIBA("ciba"),
    /** RFC 8693, Keycloak's standard token exchange. */
    TOKEN_EXCHANGE("token_exchange"),
    /** RFC 7523 §2.1, Keycloak's JWT authorization grant (assertions from identity providers). */
    JWT_AUTHORIZATION_GRANT("jwt_authorization_grant"),
    /** UMA 2.0 grant (Keycloak authorization services). */
    UMA("uma"),
    /** OpenID for Verifiable Credential Issuance (pre-authorized code). */
    OID4VCI("oid4vci");

    private final String wireName;

    GrantPath(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static GrantPath fromWireName(String name) {
        for (GrantPath p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        StringBuilder known = new StringBuilder();
        for (GrantPath p : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(p.wireName);
        }
        throw new IllegalArgumentException("unknown grant path '" + name + "'; one of " + known);
    }
}
