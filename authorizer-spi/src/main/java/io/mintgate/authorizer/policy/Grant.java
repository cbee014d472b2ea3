package io.mintgate.authorizer.policy;

import java.util.List;

/** What the client asked for in this token request. */
public record Grant(String type, List<String> scopes, List<String> audiences, List<String> resources, String requestedTokenType) {

    public static final Grant NONE = new Grant("", List.of(), List.of(), List.of(), "");

    public Grant {
        type = Values.orEmpty(type);
        scopes = Values.copy(scopes);
        audiences = Values.copy(audiences);
        resources = Values.copy(resources);
        requestedTokenType = Values.orEmpty(requestedTokenType);
    }
}
