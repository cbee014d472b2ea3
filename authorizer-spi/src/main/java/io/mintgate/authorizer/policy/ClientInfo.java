package io.mintgate.authorizer.policy;

import java.util.List;
import java.util.Map;

/** The OAuth client making the request. {@code id} is the internal id, {@code clientId} the public one. */
public record ClientInfo(String id, String clientId, String authMethod, boolean publicClient,
                         Map<String, String> attributes, List<String> roles, List<String> scopes) {

    public static final ClientInfo NONE = new ClientInfo("", "", "", false, Map.of(), List.of(), List.of());

    public ClientInfo {
        id = Values.orEmpty(id);
        clientId = Values.orEmpty(clientId);
        authMethod = Values.orEmpty(authMethod);
        attributes = Values.copy(attributes);
        roles = Values.copy(roles);
        scopes = Values.copy(scopes);
    }
}
