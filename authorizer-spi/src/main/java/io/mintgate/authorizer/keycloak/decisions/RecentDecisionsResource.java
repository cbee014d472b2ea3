package io.mintgate.authorizer.keycloak.decisions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.mintgate.authorizer.keycloak.context.NhiAttributes;
import io.mintgate.authorizer.keycloak.handoff.DecisionDetails;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.keycloak.events.Event;
import org.keycloak.events.EventQuery;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code GET /admin/realms/{realm}/mintgate/decisions}: Mintgate's decisions as Keycloak's event store kept them
 * (the realm must save events), newest first — by default the refusals and the shadow denials, and the one decision a
 * client quotes by its id. Read through Keycloak's own event query, as {@code GET .../events} is; it needs the same
 * role ({@code view-events}). The event store cannot filter on details, so at most {@link #SCAN_LIMIT} of the newest
 * events are read (further back with {@code before}); the answer says whether it read them all.
 */
public final class RecentDecisionsResource {

    static final int SCAN_LIMIT = 10_000;
    private static final int PAGE = 500;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;

    public RecentDecisionsResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
    }

    /**
     * @param outcome {@code refused} (deny), {@code shadow} (a shadow rule would have refused), {@code allow},
     *                {@code all}; default {@code refused,shadow}: comma-separated
     * @param before  epoch milliseconds: only events older than this (to page further back than the scan limit)
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> decisions(@QueryParam("decisionId") String decisionId,
                                         @QueryParam("outcome") String outcome,
                                         @QueryParam("clientId") String clientId,
                                         @QueryParam("before") Long before,
                                         @QueryParam("first") Integer first,
                                         @QueryParam("max") Integer max) {
        auth.realm().requireViewEvents();
        int skip = first == null ? 0 : first;
        int limit = max == null ? 50 : max;
        if (skip < 0) {
            throw new BadRequestException("first: must be 0 or more, was " + skip);
        }
        if (limit < 1 || limit > 500) {
            throw new BadRequestException("max: must be between 1 and 500, was " + limit);
        }
        Predicate<Map<String, String>> wanted = outcomes(outcome);
        String id = decisionId == null || decisionId.isBlank() ? null : decisionId.trim();

        List<Map<String, Object>> found = new ArrayList<>();
        int scanned = 0;
        boolean exhausted = false;
        Long oldest = null;
        EventStoreProvider store = session.getProvider(EventStoreProvider.class);
        while (scanned < SCAN_LIMIT && found.size() < skip + limit) {
            EventQuery query = store.createQuery().realm(realm.getId()).orderByDescTime()
                    .firstResult(scanned).maxResults(PAGE);
            if (clientId != null && !clientId.isBlank()) {
                query.client(clientId.trim());
            }
            if (before != null) {
                query.toDate(before - 1);
            }
            int read = 0;
            try (Stream<Event> events = query.getResultStream()) {
                Iterator<Event> it = events.iterator();
                while (it.hasNext()) {
                    Event event = it.next();
                    read++;
                    oldest = event.getTime();
                    Map<String, String> details = event.getDetails();
                    if (details == null || !details.containsKey(DecisionDetails.DECISION_ID)) {
                        continue;
                    }
                    if (id != null ? id.equals(details.get(DecisionDetails.DECISION_ID)) : wanted.test(details)) {
                        found.add(describe(event));
                    }
                }
            }
            scanned += read;
            if (read < PAGE) {
                exhausted = true;
                break;
            }
            if (id != null && !found.isEmpty()) {
                break;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("decisions", found.subList(Math.min(skip, found.size()), Math.min(found.size(), skip + limit)));
        m.put("scanned", scanned);
        m.put("complete", exhausted);
        if (!exhausted && oldest != null) {
            m.put("continueBefore", oldest);
        }
        m.put("eventsEnabled", realm.isEventsEnabled());
        return m;
    }

    private static Predicate<Map<String, String>> outcomes(String outcome) {
        String spec = outcome == null || outcome.isBlank() ? "refused,shadow" : outcome;
        Predicate<Map<String, String>> any = d -> false;
        for (String part : spec.split(",")) {
            Predicate<Map<String, String>> one = switch (part.trim()) {
                case "refused" -> d -> "deny".equals(d.get(DecisionDetails.OUTCOME));
                case "shadow" -> d -> d.get(DecisionDetails.SHADOW_DENIALS) != null;
                case "allow" -> d -> "allow".equals(d.get(DecisionDetails.OUTCOME));
                case "all" -> d -> true;
                default -> throw new BadRequestException("outcome: '" + part.trim()
                        + "' is none of refused, shadow, allow, all");
            };
            any = any.or(one);
        }
        return any;
    }

    private static Map<String, Object> describe(Event event) {
        Map<String, String> d = event.getDetails();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.ofEpochMilli(event.getTime()).toString());
        m.put("type", event.getType() == null ? null : event.getType().name());
        m.put("clientId", event.getClientId());
        m.put("userId", event.getUserId());
        m.put("ipAddress", event.getIpAddress());
        m.put("decisionId", d.get(DecisionDetails.DECISION_ID));
        m.put("outcome", d.get(DecisionDetails.OUTCOME));
        put(m, "rule", d.get(DecisionDetails.RULE));
        put(m, "reason", d.get(DecisionDetails.REASON));
        put(m, "mode", d.get(DecisionDetails.MODE));
        put(m, "error", event.getError());
        put(m, "message", d.get("client_policy_error_detail"));
        put(m, "policyVersion", d.get(DecisionDetails.POLICY_VERSION));
        put(m, "shadowDenials", d.get(DecisionDetails.SHADOW_DENIALS));
        put(m, "ruleErrors", d.get(DecisionDetails.RULE_ERRORS));
        put(m, "narrowed", d.get(DecisionDetails.NARROWED));
        put(m, "owner", d.get(NhiAttributes.DETAIL_OWNER));
        put(m, "grantType", d.get("grant_type"));
        return m;
    }

    private static void put(Map<String, Object> m, String key, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, value);
        }
    }
}
