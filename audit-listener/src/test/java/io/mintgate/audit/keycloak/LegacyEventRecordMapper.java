package io.mintgate.audit.keycloak;

import io.mintgate.audit.record.AccessData;
import io.mintgate.audit.record.AdminResource;
import io.mintgate.audit.record.Actor;
import io.mintgate.audit.record.AuditKind;
import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.record.Decision;
import io.mintgate.audit.record.DecisionDetailKeys;
import io.mintgate.audit.record.DetailFilter;
import io.mintgate.audit.record.NhiFacts;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * EventRecordMapper as it was before the one-pass rewrite (commit c740e79; only the repeated response_type fix
 * applied), kept as the reference that EventMappingEquivalenceTest compares the current mapper with. Not used by
 * main code.
 */
final class LegacyEventRecordMapper {

    /** Successful grants: each one put a token (or, for browser LOGIN, a code or implicit token) in someone's hands. */
    static final Set<EventType> ISSUANCE = EnumSet.of(EventType.CODE_TO_TOKEN, EventType.CLIENT_LOGIN,
            EventType.REFRESH_TOKEN, EventType.LOGIN, EventType.TOKEN_EXCHANGE, EventType.OAUTH2_DEVICE_CODE_TO_TOKEN,
            EventType.AUTHREQID_TO_TOKEN, EventType.JWT_AUTHORIZATION_GRANT, EventType.PERMISSION_TOKEN,
            EventType.VERIFIABLE_CREDENTIAL_PRE_AUTHORIZED_GRANT, EventType.OAUTH2_EXTENSION_GRANT);
    static final Set<EventType> REFUSAL = EnumSet.of(EventType.CODE_TO_TOKEN_ERROR, EventType.CLIENT_LOGIN_ERROR,
            EventType.REFRESH_TOKEN_ERROR, EventType.LOGIN_ERROR, EventType.TOKEN_EXCHANGE_ERROR,
            EventType.OAUTH2_DEVICE_CODE_TO_TOKEN_ERROR, EventType.AUTHREQID_TO_TOKEN_ERROR,
            EventType.JWT_AUTHORIZATION_GRANT_ERROR, EventType.PERMISSION_TOKEN_ERROR,
            EventType.VERIFIABLE_CREDENTIAL_PRE_AUTHORIZED_GRANT_ERROR, EventType.OAUTH2_EXTENSION_GRANT_ERROR);
    /** Keycloak 26.7.3 reports the revocation endpoint as REVOKE_GRANT; there is no TOKEN_REVOKE event type. */
    static final Set<EventType> REVOCATION = EnumSet.of(EventType.REVOKE_GRANT, EventType.LOGOUT,
            EventType.REVOKE_GRANT_ERROR, EventType.LOGOUT_ERROR);

    /** Dynamic client registration: Keycloak reports it as user events, not admin events. */
    static final Set<EventType> CLIENT_CHANGE = EnumSet.of(EventType.CLIENT_REGISTER, EventType.CLIENT_UPDATE,
            EventType.CLIENT_DELETE, EventType.CLIENT_REGISTER_ERROR, EventType.CLIENT_UPDATE_ERROR,
            EventType.CLIENT_DELETE_ERROR);


    private final Set<AuditKind> kinds;

    LegacyEventRecordMapper(Set<AuditKind> kinds) {
        this.kinds = kinds;
    }

    public Optional<AuditRecord> map(Event event) {
        return map(event, null);
    }

    /** Whether this event is a dynamic client registration change, whose NHI facts the listener reads in time. */
    public static boolean isClientChange(Event event) {
        return event.getType() != null && CLIENT_CHANGE.contains(event.getType());
    }

    /** @param nhi the changed client's NHI attributes as saved (client-registration events only), or null */
    public Optional<AuditRecord> map(Event event, NhiFacts nhi) {
        AuditKind kind = classify(event);
        if (kind == null || !kinds.contains(kind)) {
            return Optional.empty();
        }
        if (kind == AuditKind.NHI_CHANGED) {
            return Optional.of(clientChange(event, nhi));
        }
        Map<String, String> details = event.getDetails() == null ? Map.of() : event.getDetails();
        String realm = event.getRealmName() != null ? event.getRealmName() : event.getRealmId();
        String grantType = grantType(event.getType(), details);
        AccessData data = new AccessData(realm, event.getClientId(), event.getUserId(),
                DetailFilter.safeValue(details, "username"),
                new Actor(null, event.getClientId(), realm, event.getIpAddress()),
                grantType, split(DetailFilter.safeValue(details, "scope"), false),
                split(DetailFilter.safeValue(details, "audience"), true),
                DetailFilter.safeValue(details, "token_id"),
                parseLong(details.get("access_token_expiration_time")),
                event.getIpAddress(), event.getId(), event.getType().name(), event.getError(),
                decision(details), null, DetailFilter.filter(details), nhi(details));
        String id = event.getId() != null ? "kc-" + event.getId() : UUID.randomUUID().toString();
        String subject = event.getUserId() != null ? event.getUserId() : event.getClientId();
        return Optional.of(new AuditRecord(id, kind.type(), source(realm), EventTime.rfc3339(event.getTime()),
                subject, data));
    }

    /**
     * A client registered, updated or deleted through dynamic client registration: the same record type and
     * {@code resource} shape as the admin API's client changes; the actor is the registrant's user, if the
     * registration token had one (an initial access token has none).
     */
    private static AuditRecord clientChange(Event event, NhiFacts nhi) {
        Map<String, String> details = event.getDetails() == null ? Map.of() : event.getDetails();
        String realm = event.getRealmName() != null ? event.getRealmName() : event.getRealmId();
        String operation = switch (event.getType()) {
            case CLIENT_REGISTER, CLIENT_REGISTER_ERROR -> "CREATE";
            case CLIENT_UPDATE, CLIENT_UPDATE_ERROR -> "UPDATE";
            default -> "DELETE";
        };
        AccessData data = new AccessData(realm, event.getClientId(), null, null,
                new Actor(event.getUserId(), null, realm, event.getIpAddress()), null, null, null, null, null,
                event.getIpAddress(), event.getId(), event.getType().name(), event.getError(), null,
                new AdminResource("CLIENT", operation, null, null, null, null), DetailFilter.filter(details), nhi);
        String id = event.getId() != null ? "kc-" + event.getId() : UUID.randomUUID().toString();
        return new AuditRecord(id, AuditKind.NHI_CHANGED.type(), source(realm), EventTime.rfc3339(event.getTime()),
                event.getClientId(), data);
    }

    static String source(String realm) {
        return "/realms/" + (realm == null ? "unknown" : realm);
    }

    /** Mintgate's own decision details win over the event type: a "deny" is a denial whatever Keycloak called it. */
    static AuditKind classify(Event event) {
        Map<String, String> d = event.getDetails() == null ? Map.of() : event.getDetails();
        EventType type = event.getType();
        if (type == null) {
            return null;
        }
        if (CLIENT_CHANGE.contains(type)) {
            return AuditKind.NHI_CHANGED;
        }
        boolean mintgate = d.containsKey(DecisionDetailKeys.DECISION_ID) || d.containsKey(DecisionDetailKeys.OUTCOME);
        if (REVOCATION.contains(type)) {
            return AuditKind.TOKEN_REVOKED;
        }
        if (mintgate && "deny".equalsIgnoreCase(d.get(DecisionDetailKeys.OUTCOME))) {
            return AuditKind.TOKEN_DENIED;
        }
        if (REFUSAL.contains(type)) {
            return AuditKind.TOKEN_DENIED;
        }
        if (ISSUANCE.contains(type)) {
            return AuditKind.TOKEN_ISSUED;
        }
        if (mintgate) {
            return event.getError() != null ? AuditKind.TOKEN_DENIED : AuditKind.TOKEN_ISSUED;
        }
        return null;
    }

    /** Implicit/hybrid flows have no grant_type; name them from response_type so they are not lumped with codes. */
    static String grantType(EventType type, Map<String, String> details) {
        String grant = details.get("grant_type");
        if (grant != null) {
            return grant;
        }
        if (type == EventType.LOGIN || type == EventType.LOGIN_ERROR) {
            String responseType = details.get("response_type");
            if (responseType == null) {
                return null;
            }
            // The one change since c740e79: a repeated part ("code code") no longer throws (see the current mapper).
            Set<String> parts = Set.copyOf(java.util.Arrays.asList(responseType.trim().split("\\s+")));
            if (parts.contains("code")) {
                return parts.size() > 1 ? "hybrid" : "authorization_code";
            }
            return "implicit";
        }
        return null;
    }

    static Decision decision(Map<String, String> d) {
        if (!hasDecisionKey(d)) {
            return null;
        }
        String narrowed = d.get(DecisionDetailKeys.NARROWED);
        return new Decision(d.get(DecisionDetailKeys.DECISION_ID), d.get(DecisionDetailKeys.RULE),
                DetailFilter.safeValue(d, DecisionDetailKeys.REASON), d.get(DecisionDetailKeys.MODE),
                d.get(DecisionDetailKeys.OUTCOME), d.get(DecisionDetailKeys.POLICY_VERSION),
                narrowed == null || narrowed.isBlank() ? null : narrowed.trim(),
                shadowDenials(d.get(DecisionDetailKeys.SHADOW_DENIALS)),
                // added after the rewrite, in both mappers alike, so the equivalence still covers every other field
                shadowDenials(d.get(DecisionDetailKeys.RULE_ERRORS)));
    }

    private static boolean hasDecisionKey(Map<String, String> d) {
        for (String key : d.keySet()) {
            if (DecisionDetailKeys.isDecisionKey(key)) {
                return true;
            }
        }
        return false;
    }

    /** The NHI the authorizer decided about (or whose owner was offboarded), as it reported it in the details. */
    static NhiFacts nhi(Map<String, String> d) {
        String owner = d.get(DecisionDetailKeys.NHI_OWNER);
        String purpose = DetailFilter.safeValue(d, DecisionDetailKeys.NHI_PURPOSE);
        String expiresAt = d.get(DecisionDetailKeys.NHI_EXPIRES_AT);
        return NhiFacts.of(owner, expiresAt, purpose);
    }

    static List<String> shadowDenials(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        String v = value.trim();
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
        }
        return Arrays.stream(v.split(",")).map(s -> s.trim().replaceAll("^\"|\"$", ""))
                .filter(s -> !s.isEmpty()).toList();
    }

    /**
     * The non-blank parts of {@code value} (trimmed first) between spaces, and commas too when {@code commaSeparates}:
     * what {@code Pattern.compile(commaSeparates ? "[ ,]" : " ").split(value.trim())} keeps, without a regex walk on
     * every token event (it showed in the server's CPU profile).
     */
    static List<String> split(String value, boolean commaSeparates) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        String text = value.trim();
        List<String> kept = new ArrayList<>(4);
        int start = 0;
        for (int i = 0, n = text.length(); i <= n; i++) {
            if (i == n || text.charAt(i) == ' ' || (commaSeparates && text.charAt(i) == ',')) {
                String part = i > start ? text.substring(start, i) : "";
                if (!part.isBlank()) {
                    kept.add(part);
                }
                start = i + 1;
            }
        }
        return List.copyOf(kept);
    }

    static Long parseLong(String value) {
        try {
            return value == null ? null : Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
