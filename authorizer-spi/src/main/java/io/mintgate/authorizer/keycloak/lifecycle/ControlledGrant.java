package io.mintgate.authorizer.keycloak.lifecycle;

/**
 * The client settings the issuance controls can refuse or strip, each named by the field of Keycloak's client
 * representation that carries it (the name an admin sees in the 400 and sets in the realm JSON).
 */
public enum ControlledGrant {
    IMPLICIT_FLOW("implicitFlowEnabled", "the implicit flow puts tokens in the browser's URL"),
    DIRECT_ACCESS_GRANTS("directAccessGrantsEnabled", "the password grant hands the client a user's password"),
    FULL_SCOPE_ALLOWED("fullScopeAllowed", "full scope puts every role of the user or service account in its tokens"),
    SERVICE_ACCOUNT_STANDARD_FLOW("standardFlowEnabled",
            "a service account identity signs no users in; the standard flow is not allowed alongside it");

    private final String field;
    private final String why;

    ControlledGrant(String field, String why) {
        this.field = field;
        this.why = why;
    }

    public String field() {
        return field;
    }

    String why() {
        return why;
    }
}
