package io.mintgate.authorizer.keycloak.context;

import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.OAuth2Constants;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.representations.JsonWebToken;

/**
 * The payload of a token exchange's subject token (RFC 8693 {@code subject_token}) of this realm. Read only in the
 * post-processor of a token exchange, after Keycloak has verified the subject token in the same request, so the
 * signature is not checked twice; read once there for both its carried narrowing and its delegation chain.
 */
public final class SubjectTokens {

    private SubjectTokens() {
    }

    /** Thrown when the subject token is not a readable JWT. */
    public static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    /** Null when the request has no subject token, or one of another issuer (it names its {@code subject_issuer}). */
    public static JsonWebToken payload(MultivaluedMap<String, String> form) {
        String subjectToken = IssuanceRequests.first(form, OAuth2Constants.SUBJECT_TOKEN);
        if (subjectToken.isEmpty() || !IssuanceRequests.first(form, OAuth2Constants.SUBJECT_ISSUER).isEmpty()) {
            return null;
        }
        try {
            return new JWSInput(subjectToken).readJsonContent(JsonWebToken.class);
        } catch (JWSInputException | RuntimeException e) {
            throw new Unreadable("the subject token is not a readable JWT");
        }
    }
}
