package io.mintgate.authorizer.keycloak.enforce;

/** Rethrows a checked exception through a Keycloak method whose signature does not declare it. */
public final class Sneaky {

    private Sneaky() {
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E rethrow(Throwable t) throws E {
        throw (E) t;
    }
}
