package io.mintgate.authorizer.authzen;

/**
 * Resolves a secret field of a PDP declaration: a vault reference {@code ${vault.key}} to the secret it names, any
 * other value to itself. Called only when a PDP call needs the secret (never on a cache hit).
 */
@FunctionalInterface
public interface Secrets {

    Secrets LITERAL = value -> value;

    /** @return the secret, or null when a referenced secret does not exist */
    String resolve(String valueOrReference);
}
