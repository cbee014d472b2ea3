package io.mintgate.authorizer.keycloak;

/** Rethrows a checked exception through a Keycloak method whose signature does not declare it. */
final class Sneaky {

    private Sneaky() {
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E rethrow(Throwable t) throws E {
        throw (E) t;
    }
}
