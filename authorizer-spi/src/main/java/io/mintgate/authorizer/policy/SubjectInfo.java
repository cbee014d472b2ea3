package io.mintgate.authorizer.policy;

import java.util.List;
import java.util.Map;

/** The user (or service-account user) the token is for. {@link #NONE} when there is none. */
public record SubjectInfo(String id, String username, boolean enabled, boolean serviceAccount,
                          Map<String, List<String>> attributes, List<String> realmRoles,
                          Map<String, List<String>> clientRoles, List<String> groups) {

    public static final SubjectInfo NONE = new SubjectInfo("", "", false, false, Map.of(), List.of(), Map.of(), List.of());

    public SubjectInfo {
        id = Values.orEmpty(id);
        username = Values.orEmpty(username);
        attributes = Values.copyMultimap(attributes);
        realmRoles = Values.copy(realmRoles);
        clientRoles = Values.copyMultimap(clientRoles);
        groups = Values.copy(groups);
    }

    public boolean present() {
        return !id.isEmpty();
    }
}
