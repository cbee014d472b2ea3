package io.mintgate.authorizer.keycloak.lifecycle;

/**
 * Finds the person an owner value names; Keycloak's user store in production. An owner is stored as the user's id, and
 * an admin may type the username instead: the directory accepts either, id first.
 */
@FunctionalInterface
public interface OwnerDirectory {

    /** A user of the realm who can own an identity. */
    record Owner(String id, String username, boolean enabled) {
    }

    /** The person whose id, or else whose username, is {@code idOrUsername}; null when there is none. */
    Owner find(String idOrUsername);
}
