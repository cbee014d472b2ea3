package io.mintgate.authorizer.policy;

/** The Keycloak organization the request is scoped to; {@link #NONE} when none. */
public record OrganizationInfo(String id, String alias) {

    public static final OrganizationInfo NONE = new OrganizationInfo("", "");

    public OrganizationInfo {
        id = Values.orEmpty(id);
        alias = Values.orEmpty(alias);
    }

    public boolean present() {
        return !id.isEmpty();
    }
}
