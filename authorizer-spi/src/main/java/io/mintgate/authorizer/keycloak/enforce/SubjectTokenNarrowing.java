package io.mintgate.authorizer.keycloak.enforce;

import io.mintgate.authorizer.keycloak.context.SubjectTokens;
import io.mintgate.authorizer.policy.Obligations;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.representations.JsonWebToken;

/**
 * The narrowing a token exchange's subject token carries (RFC 8693 {@code subject_token}). Keycloak builds the new
 * token from the subject's session, client scopes and role mappings, not from the subject token's claims, so without
 * this a narrowed token could be exchanged for a broader one. Read only in the post-processor of a token exchange,
 * after Keycloak has verified the subject token in the same request; the signature is not checked twice.
 */
final class SubjectTokenNarrowing {

    private SubjectTokenNarrowing() {
    }

    /**
     * {@link Obligations#NONE} when the request has no subject token of this realm (an external token names its
     * {@code subject_issuer}) or the token carries nothing.
     *
     * @throws CarriedObligations.Unreadable when the subject token is not a readable JWT or its claim is unreadable
     */
    static Obligations of(MultivaluedMap<String, String> form) {
        try {
            return of(SubjectTokens.payload(form));
        } catch (SubjectTokens.Unreadable e) {
            throw new CarriedObligations.Unreadable(e.getMessage());
        }
    }

    /** @param subjectToken the subject token's payload ({@link SubjectTokens#payload}), or null */
    static Obligations of(JsonWebToken subjectToken) {
        return subjectToken == null ? Obligations.NONE : CarriedObligations.read(subjectToken);
    }
}
