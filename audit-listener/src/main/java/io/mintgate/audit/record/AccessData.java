package io.mintgate.audit.record;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/** Data of token issued / denied / revoked and non-human-identity change records ({@code nhi}: change records only). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AccessData(String realm, String clientId, String subject, String username, Actor actor,
                         String grantType, List<String> scopes, List<String> audience, String tokenId,
                         Long expiresAt, String sourceAddress, String keycloakEventId, String keycloakEventType,
                         String error, Decision decision, AdminResource resource, Map<String, String> details,
                         NhiFacts nhi)
        implements RecordData {

    /** Records without NHI facts (token records, admin events on things other than clients). */
    public AccessData(String realm, String clientId, String subject, String username, Actor actor,
                      String grantType, List<String> scopes, List<String> audience, String tokenId,
                      Long expiresAt, String sourceAddress, String keycloakEventId, String keycloakEventType,
                      String error, Decision decision, AdminResource resource, Map<String, String> details) {
        this(realm, clientId, subject, username, actor, grantType, scopes, audience, tokenId, expiresAt, sourceAddress,
                keycloakEventId, keycloakEventType, error, decision, resource, details, null);
    }

    public AccessData {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        audience = audience == null ? List.of() : List.copyOf(audience);
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
