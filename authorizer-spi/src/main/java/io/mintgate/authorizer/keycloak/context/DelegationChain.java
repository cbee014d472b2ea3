package io.mintgate.authorizer.keycloak.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.policy.ActorInfo;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.representations.JsonWebToken;

/**
 * The earlier actors of a token exchange: the subject token's RFC 8693 {@code act} claim and the {@code act} nested
 * in it, newest first. Read in the post-processor of a token exchange, after Keycloak has verified the subject token
 * in the same request ({@link SubjectTokens}).
 */
public final class DelegationChain {

    /** Deeper than this is not a delegation chain but a malformed or hostile token. */
    static final int MAX_DEPTH = 32;

    private DelegationChain() {
    }

    /** Thrown when the subject token's {@code act} is not a chain of JSON objects; the exchange is refused. */
    public static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    /** Empty when the request has no subject token of this realm or the token names no actor. */
    public static List<ActorInfo.Prior> priorActors(MultivaluedMap<String, String> form) {
        try {
            return priorActors(SubjectTokens.payload(form));
        } catch (SubjectTokens.Unreadable e) {
            throw new Unreadable(e.getMessage());
        }
    }

    /** @param subjectToken the subject token's payload ({@link SubjectTokens#payload}), or null */
    public static List<ActorInfo.Prior> priorActors(JsonWebToken subjectToken) {
        return subjectToken == null ? List.of() : of(subjectToken.getOtherClaims().get("act"));
    }

    /** The chain an {@code act} claim value describes, outermost (newest) first. */
    static List<ActorInfo.Prior> of(Object act) {
        List<ActorInfo.Prior> chain = new ArrayList<>();
        while (act != null) {
            if (!(act instanceof Map<?, ?> claim)) {
                throw new Unreadable("the subject token's act claim is not a JSON object");
            }
            if (chain.size() == MAX_DEPTH) {
                throw new Unreadable("the subject token's act claim nests more than " + MAX_DEPTH + " actors");
            }
            chain.add(new ActorInfo.Prior(text(claim.get("client_id")), text(claim.get("sub"))));
            act = claim.get("act");
        }
        return chain;
    }

    private static String text(Object value) {
        return value instanceof String s ? s : "";
    }
}
