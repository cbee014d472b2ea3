package io.mintgate.authorizer.policy;

import java.util.List;

/**
 * The acting party in a token exchange (RFC 8693 {@code act}); {@link #NONE} otherwise.
 *
 * @param prior the earlier actors of the delegation chain, newest first: the subject token's {@code act}, then the
 *              {@code act} nested in it, and so on (RFC 8693 section 4.1)
 */
public record ActorInfo(String clientId, String subject, List<Prior> prior) {

    public static final ActorInfo NONE = new ActorInfo("", "");

    public ActorInfo {
        clientId = Values.orEmpty(clientId);
        subject = Values.orEmpty(subject);
        prior = prior == null ? List.of() : List.copyOf(prior);
    }

    public ActorInfo(String clientId, String subject) {
        this(clientId, subject, List.of());
    }

    public boolean present() {
        return !clientId.isEmpty() || !subject.isEmpty();
    }

    /** How many actors the chain holds: this one and the earlier ones; 0 without an actor. */
    public int depth() {
        return present() ? 1 + prior.size() : prior.size();
    }

    /** An earlier actor of the chain, as its {@code act} claim named it. */
    public record Prior(String clientId, String subject) {
        public Prior {
            clientId = Values.orEmpty(clientId);
            subject = Values.orEmpty(subject);
        }
    }
}
