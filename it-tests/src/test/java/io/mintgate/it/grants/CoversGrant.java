package io.mintgate.it.grants;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test that proves Mintgate's decision on one grant path: a refusal ({@link Outcome#DENY}) or a mint
 * ({@link Outcome#ALLOW}). {@link GrantTypeCoverageIT} fails when a grant type the server advertises lacks either.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface CoversGrant {

    /** The grant type as advertised in {@code grant_types_supported}. */
    String value();

    Outcome outcome();

    enum Outcome { DENY, ALLOW }
}
