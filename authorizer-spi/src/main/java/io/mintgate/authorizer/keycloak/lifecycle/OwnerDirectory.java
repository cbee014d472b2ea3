package io.mintgate.authorizer.keycloak.lifecycle;

/** Answers whether a would-be owner is a user of the realm and enabled; Keycloak's user store in production. */
@FunctionalInterface
public interface OwnerDirectory {

    enum Status { ENABLED, DISABLED, UNKNOWN }

    Status status(String username);
}
