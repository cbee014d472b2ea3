package io.mintgate.audit.keycloak;

import io.mintgate.audit.record.AccessData;
import io.mintgate.audit.record.Actor;
import io.mintgate.audit.record.AdminResource;
import io.mintgate.audit.record.AuditKind;
import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.record.NhiFacts;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.events.admin.ResourceType;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns admin events that create or change non-human identities (clients, their roles, scopes, mappers, service
 * accounts, client secrets) into {@code io.mintgate.nhi.changed} records. The admin representation is never copied.
 */
public final class AdminEventRecordMapper {
    static final Set<ResourceType> CLIENT_SIDE = EnumSet.of(ResourceType.CLIENT, ResourceType.CLIENT_ROLE,
            ResourceType.CLIENT_SCOPE_MAPPING, ResourceType.CLIENT_SCOPE_CLIENT_MAPPING, ResourceType.PROTOCOL_MAPPER);
    /** These apply to users too: audited only when the user is a service account (or is not a user at all). */
    static final Set<ResourceType> USER_SIDE = EnumSet.of(ResourceType.USER, ResourceType.CLIENT_ROLE_MAPPING,
            ResourceType.REALM_ROLE_MAPPING);
    private static final Pattern USER_PATH = Pattern.compile("^users/([^/]+)");
    private static final Pattern SECRET_PATH = Pattern.compile("^clients/[^/]+/client-secret(/rotated)?$");

    private final Set<AuditKind> kinds;

    public AdminEventRecordMapper(Set<AuditKind> kinds) {
        this.kinds = kinds;
    }

    /** What the mapper needs to ask Keycloak; the listener answers from the session, tests from a map. */
    public interface Lookup {
        /** Unknown users must answer true, so a deleted service account is still audited. */
        boolean isServiceAccount(String userId);

        /** The OAuth client_id of the client with this internal id, or null. */
        String clientIdOf(String clientUuid);

        /** The NHI attributes of the client with this internal id as saved, or null (none, or no such client). */
        default NhiFacts nhiOf(String clientUuid) {
            return null;
        }
    }

    public Optional<AuditRecord> map(AdminEvent event, Lookup lookup) {
        if (!kinds.contains(AuditKind.NHI_CHANGED) || event.getResourceType() == null) {
            return Optional.empty();
        }
        ResourceType type = event.getResourceType();
        String path = event.getResourcePath() == null ? "" : event.getResourcePath();
        Boolean serviceAccount = null;
        if (USER_SIDE.contains(type)) {
            Matcher m = USER_PATH.matcher(path);
            if (m.find()) {
                serviceAccount = lookup.isServiceAccount(m.group(1));
                if (!serviceAccount) {
                    return Optional.empty();
                }
            } else if (type == ResourceType.USER) {
                return Optional.empty();
            }
        } else if (!CLIENT_SIDE.contains(type)) {
            return Optional.empty();
        }
        boolean secretRotation = SECRET_PATH.matcher(path).matches();
        AuthDetails auth = event.getAuthDetails();
        String realm = event.getRealmName() != null ? event.getRealmName() : event.getRealmId();
        Actor actor = auth == null ? null
                : new Actor(auth.getUserId(), auth.getClientId(), auth.getRealmName() != null ? auth.getRealmName()
                : auth.getRealmId(), auth.getIpAddress());
        String operation = event.getOperationType() == null ? null : event.getOperationType().name();
        AdminResource resource = new AdminResource(type.name(), operation, path, resourceId(path), serviceAccount,
                secretRotation ? Boolean.TRUE : null);
        String clientUuid = clientUuidOf(path);
        String clientId = clientUuid == null ? null : lookup.clientIdOf(clientUuid);
        AccessData data = new AccessData(realm, clientId != null ? clientId : clientUuid, null, null, actor, null, null, null, null, null,
                auth == null ? null : auth.getIpAddress(), event.getId(), "ADMIN_" + operation, event.getError(), null,
                resource, null, type == ResourceType.CLIENT && clientUuid != null ? lookup.nhiOf(clientUuid) : null);
        String id = event.getId() != null ? "kc-admin-" + event.getId() : UUID.randomUUID().toString();
        return Optional.of(new AuditRecord(id, AuditKind.NHI_CHANGED.type(), EventRecordMapper.source(realm),
                Instant.ofEpochMilli(event.getTime()).toString(), resourceId(path), data));
    }

    /** Admin paths name clients by internal id: {@code clients/<uuid>/...}. */
    static String clientUuidOf(String path) {
        Matcher m = Pattern.compile("^clients/([^/]+)").matcher(path);
        return m.find() ? m.group(1) : null;
    }

    static String resourceId(String path) {
        String[] parts = path.split("/");
        return parts.length >= 2 ? parts[1] : null;
    }
}
