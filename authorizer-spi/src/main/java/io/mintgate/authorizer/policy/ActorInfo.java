package io.mintgate.authorizer.policy;

/** The acting party in a token exchange (RFC 8693 {@code act}); {@link #NONE} otherwise. */
public record ActorInfo(String clientId, String subject) {

    public static final ActorInfo NONE = new ActorInfo("", "");

    public ActorInfo {
        clientId = Values.orEmpty(clientId);
        subject = Values.orEmpty(subject);
    }

    public boolean present() {
        return !clientId.isEmpty() || !subject.isEmpty();
    }
}
