package io.mintgate.authorizer.keycloak.lifecycle;

/**
 * One reason a creation or change is refused. {@code field} is the path in Keycloak's client representation
 * ({@code attributes.mintgate.owner}, {@code implicitFlowEnabled}, ...), so the admin knows what to fix.
 */
public record Violation(String field, String message) {

    /** The error_description: "attributes.mintgate.owner: required (the user who owns this identity)". */
    public String description() {
        return field + ": " + message;
    }
}
