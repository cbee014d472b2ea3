package io.mintgate.authorizer.policy;

import java.util.List;
import java.util.Map;

/**
 * What the client asked for in this token request. {@code authorizationDetails} are the RFC 9396 cells of the
 * request's {@code authorization_details} parameter, as {@link AuthorizationDetails#parse} read them.
 */
public record Grant(String type, List<String> scopes, List<String> audiences, List<String> resources, String requestedTokenType,
                    List<Map<String, Object>> authorizationDetails) {

    public static final Grant NONE = new Grant("", List.of(), List.of(), List.of(), "");

    public Grant {
        type = Values.orEmpty(type);
        scopes = Values.copy(scopes);
        audiences = Values.copy(audiences);
        resources = Values.copy(resources);
        requestedTokenType = Values.orEmpty(requestedTokenType);
        authorizationDetails = authorizationDetails == null ? List.of() : List.copyOf(authorizationDetails);
    }

    /** A grant without {@code authorization_details}. */
    public Grant(String type, List<String> scopes, List<String> audiences, List<String> resources, String requestedTokenType) {
        this(type, scopes, audiences, resources, requestedTokenType, List.of());
    }
}
