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

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Turns a Keycloak user/client event into an audit record, or nothing when the event is not audited. */
public final class EventRecordMapper {

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

    /**
     * The sets above as one lookup by event type (every token event used to test up to four enum sets): the kind an
     * event type gives before the Mintgate details are read, null for the other types. Filled from the lowest to the
     * highest priority of {@link #classify}, so a type in two sets ends up where classify's order puts it.
     */
    private static final AuditKind[] BY_TYPE = new AuditKind[EventType.values().length];

    static {
        ISSUANCE.forEach(type -> BY_TYPE[type.ordinal()] = AuditKind.TOKEN_ISSUED);
        REFUSAL.forEach(type -> BY_TYPE[type.ordinal()] = AuditKind.TOKEN_DENIED);
        REVOCATION.forEach(type -> BY_TYPE[type.ordinal()] = AuditKind.TOKEN_REVOKED);
        CLIENT_CHANGE.forEach(type -> BY_TYPE[type.ordinal()] = AuditKind.NHI_CHANGED);
    }

    /** Compiled once: String.split("\\s+") and replaceAll compiled their regex on every call. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern EDGE_QUOTES = Pattern.compile("^\"|\"$");

    private final Set<AuditKind> kinds;

    public EventRecordMapper(Set<AuditKind> kinds) {
        this.kinds = kinds;
    }

    public Optional<AuditRecord> map(Event event) {
        return map(event, null);
    }

    /** Whether this event is a dynamic client registration change, whose NHI facts the listener reads in time. */
    public static boolean isClientChange(Event event) {
        return event.getType() != null && BY_TYPE[event.getType().ordinal()] == AuditKind.NHI_CHANGED;
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
        EventDetails details = EventDetails.read(event.getDetails());
        String realm = event.getRealmName() != null ? event.getRealmName() : event.getRealmId();
        String grantType = grantType(event.getType(), details.grantType, details.responseType);
        AccessData data = new AccessData(realm, event.getClientId(), event.getUserId(), details.username,
                new Actor(null, event.getClientId(), realm, event.getIpAddress()),
                grantType, split(details.scope, false), split(details.audience, true), details.tokenId,
                parseLong(details.expiration), event.getIpAddress(), event.getId(), event.getType().name(),
                event.getError(), decision(details), null, details.kept, nhi(details));
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
        EventType type = event.getType();
        if (type == null) {
            return null;
        }
        AuditKind byType = BY_TYPE[type.ordinal()];
        if (byType == AuditKind.NHI_CHANGED || byType == AuditKind.TOKEN_REVOKED
                || byType == AuditKind.TOKEN_DENIED) {
            // A refusal is a denial with or without a Mintgate "deny".
            return byType;
        }
        Map<String, String> d = event.getDetails() == null ? Map.of() : event.getDetails();
        // An outcome of "deny" is a Mintgate detail by itself: no separate check that a decision key is there.
        if ("deny".equalsIgnoreCase(d.get(DecisionDetailKeys.OUTCOME))) {
            return AuditKind.TOKEN_DENIED;
        }
        if (byType == AuditKind.TOKEN_ISSUED) {
            return byType;
        }
        if (d.containsKey(DecisionDetailKeys.DECISION_ID) || d.containsKey(DecisionDetailKeys.OUTCOME)) {
            return event.getError() != null ? AuditKind.TOKEN_DENIED : AuditKind.TOKEN_ISSUED;
        }
        return null;
    }

    /** Implicit/hybrid flows have no grant_type; name them from response_type so they are not lumped with codes. */
    static String grantType(EventType type, String grant, String responseType) {
        if (grant != null) {
            return grant;
        }
        if (type == EventType.LOGIN || type == EventType.LOGIN_ERROR) {
            if (responseType == null) {
                return null;
            }
            if (responseType.equals("code")) {
                // Every browser login of an authorization_code flow: no split needed to see a single "code".
                return "authorization_code";
            }
            // Keycloak accepts a repeated part ("code code"): Set.copyOf collapses it where Set.of would throw, and
            // a throw here would fail the user's request after its login committed, with no record.
            Set<String> parts = Set.copyOf(Arrays.asList(WHITESPACE.split(responseType.trim())));
            if (parts.contains("code")) {
                return parts.size() > 1 ? "hybrid" : "authorization_code";
            }
            return "implicit";
        }
        return null;
    }

    static Decision decision(EventDetails d) {
        if (!d.decisionKey) {
            return null;
        }
        String narrowed = d.narrowed;
        return new Decision(d.decisionId, d.rule, d.reason, d.mode, d.outcome, d.policyVersion,
                narrowed == null || narrowed.isBlank() ? null : narrowed.trim(), ruleList(d.shadowDenials),
                ruleList(d.ruleErrors));
    }

    /** The NHI the authorizer decided about (or whose owner was offboarded), as it reported it in the details. */
    static NhiFacts nhi(EventDetails d) {
        return NhiFacts.of(d.nhiOwner, d.nhiExpiresAt, d.nhiPurpose);
    }

    /** A comma separated (or JSON array) list of rule entries: shadow denials, rule errors. */
    static List<String> ruleList(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        String v = value.trim();
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
        }
        return Arrays.stream(v.split(",")).map(s -> EDGE_QUOTES.matcher(s.trim()).replaceAll(""))
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
        // Counted first, then collected into an array of the right size: no list to grow and copy per token event.
        String[] parts = new String[parts(text, commaSeparates, null)];
        parts(text, commaSeparates, parts);
        return List.of(parts);
    }

    /** Counts the non-blank parts of {@code text}, and stores them in {@code into} unless it is null. */
    private static int parts(String text, boolean commaSeparates, String[] into) {
        int count = 0;
        int start = 0;
        for (int i = 0, n = text.length(); i <= n; i++) {
            if (i == n || text.charAt(i) == ' ' || (commaSeparates && text.charAt(i) == ',')) {
                if (!isBlank(text, start, i)) {
                    if (into != null) {
                        into[count] = text.substring(start, i);
                    }
                    count++;
                }
                start = i + 1;
            }
        }
        return count;
    }

    /**
     * {@code text.substring(start, end).isBlank()} without the substring. Char by char is enough: no surrogate and no
     * supplementary code point is whitespace.
     */
    private static boolean isBlank(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static Long parseLong(String value) {
        try {
            return value == null ? null : Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
