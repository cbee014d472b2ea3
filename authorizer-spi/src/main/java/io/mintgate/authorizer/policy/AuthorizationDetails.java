package io.mintgate.authorizer.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * RFC 9396 (Rich Authorization Requests) {@code authorization_details}: reading the request parameter into cells,
 * and narrowing cells by {@link AuthorizationDetailLimits}. A cell is the JSON object as the client sent it (every
 * member kept, in order, read-only), so that what the token carries is exactly what was asked for, minus what
 * policy removed. Only the members RFC 9396 section 2.2 defines for every type are checked here; what a type's
 * other members mean is up to the policy and the resource server.
 */
public final class AuthorizationDetails {

    /** The common members that are lists of strings (RFC 9396 section 2.2). */
    public static final List<String> STRING_LIST_MEMBERS = List.of("locations", "actions", "datatypes", "privileges");
    /** Every member RFC 9396 section 2 defines for all types; the others are the type's own. */
    static final Set<String> COMMON_MEMBERS = Set.of("type", "locations", "actions", "datatypes", "identifier",
            "privileges");
    /** More cells than any real request carries; a parameter with more is refused rather than evaluated. */
    static final int MAX_CELLS = 100;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private AuthorizationDetails() {
    }

    /** The parameter cannot be read as RFC 9396 section 2 requires; the message names the cell and member. */
    public static final class Malformed extends RuntimeException {
        public Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The cells of an {@code authorization_details} parameter: a JSON array of objects, each with a string
     * {@code type} (RFC 9396 section 2), the common members of section 2.2 with their defined types.
     *
     * @throws Malformed naming every problem found, with the cell's position
     */
    public static List<Map<String, Object>> parse(String parameter) {
        JsonNode root;
        try {
            root = MAPPER.readTree(parameter);
        } catch (JsonProcessingException e) {
            throw new Malformed("authorization_details is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new Malformed("authorization_details must be a JSON array of objects");
        }
        if (root.size() > MAX_CELLS) {
            throw new Malformed("authorization_details has " + root.size() + " objects; at most " + MAX_CELLS + " are accepted");
        }
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> cells = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode cell = root.get(i);
            String at = "authorization_details[" + i + "]";
            if (!cell.isObject()) {
                problems.add(at + " must be a JSON object");
                continue;
            }
            JsonNode type = cell.get("type");
            if (type == null || !type.isTextual() || type.asText().isEmpty()) {
                problems.add(at + ".type must be a non-empty string");
            }
            for (String member : STRING_LIST_MEMBERS) {
                JsonNode value = cell.get(member);
                if (value != null && !isStringArray(value)) {
                    problems.add(at + "." + member + " must be an array of strings");
                }
            }
            JsonNode identifier = cell.get("identifier");
            if (identifier != null && !identifier.isTextual()) {
                problems.add(at + ".identifier must be a string");
            }
            cells.add(readOnly(MAPPER.convertValue(cell, LinkedHashMap.class)));
        }
        if (!problems.isEmpty()) {
            throw new Malformed(String.join("; ", problems));
        }
        return List.copyOf(cells);
    }

    /**
     * What is left of {@code cells} under {@code limits} (null = unrestricted): cells of other types are dropped; a
     * cell's {@code actions} and {@code locations} keep only the allowed values, and a cell left with none, or that
     * has no such member at all (which a resource server may read as "any"), is dropped. Never adds anything.
     */
    public static List<Map<String, Object>> narrow(List<Map<String, Object>> cells, AuthorizationDetailLimits limits) {
        if (limits == null || cells.isEmpty()) {
            return cells;
        }
        List<Map<String, Object>> candidates = cells;
        if (limits.cells() != null) {
            // the granted cells replace the token's, but only where one of the token's cells covers them
            candidates = new ArrayList<>(limits.cells().size());
            for (Map<String, Object> granted : limits.cells()) {
                if (coveredByAny(granted, cells, null)) {
                    candidates.add(granted);
                }
            }
        }
        List<Map<String, Object>> kept = new ArrayList<>(candidates.size());
        for (Map<String, Object> cell : candidates) {
            if (limits.types() != null && !limits.types().contains(String.valueOf(cell.get("type")))) {
                continue;
            }
            Map<String, Object> narrowed = cell;
            narrowed = restrict(narrowed, "actions", limits.actions());
            if (narrowed == null) {
                continue;
            }
            narrowed = restrict(narrowed, "locations", limits.locations());
            if (narrowed == null) {
                continue;
            }
            kept.add(narrowed);
        }
        return kept.size() == cells.size() && kept.equals(cells) ? cells : List.copyOf(kept);
    }

    /**
     * What {@link #narrow} removed, in the words of {@code mintgate_narrowed}: one {@code authorization_details:-<type>}
     * per dropped cell, {@code authorization_details:~<type>} per restricted one; empty when nothing was.
     */
    public static String removed(List<Map<String, Object>> before, List<Map<String, Object>> after) {
        List<String> removed = new ArrayList<>();
        int j = 0;
        for (Map<String, Object> cell : before) {
            Map<String, Object> kept = j < after.size() ? after.get(j) : null;
            boolean same = kept != null && kept.get("type") != null && kept.get("type").equals(cell.get("type"))
                    && sameIdentity(cell, kept);
            if (same) {
                if (!kept.equals(cell)) {
                    removed.add("authorization_details:~" + cell.get("type"));
                }
                j++;
            } else {
                removed.add("authorization_details:-" + cell.get("type"));
            }
        }
        return String.join(";", removed);
    }

    /** A restricted cell keeps every member but {@code actions} and {@code locations}. */
    private static boolean sameIdentity(Map<String, Object> cell, Map<String, Object> kept) {
        for (Map.Entry<String, Object> member : cell.entrySet()) {
            String name = member.getKey();
            if (!"actions".equals(name) && !"locations".equals(name) && !member.getValue().equals(kept.get(name))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The cell as policies read it: every member, and the common members of RFC 9396 section 2.2 always present
     * ({@code ''} or an empty list when absent), so that {@code d.actions} never fails on a cell without actions.
     */
    public static Map<String, Object> withCommonMembers(Map<String, Object> cell) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("type", "");
        for (String member : STRING_LIST_MEMBERS) {
            view.put(member, List.of());
        }
        view.put("identifier", "");
        view.putAll(cell);
        return view;
    }

    /** Whether one of {@code requested} {@link #covers} {@code cell}. */
    public static boolean coveredByAny(Map<String, Object> cell, List<Map<String, Object>> requested,
                                       Collection<String> targets) {
        for (Map<String, Object> candidate : requested) {
            if (covers(candidate, cell, targets)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code cell} asks for nothing that {@code requested} does not (the structural check of the AuthZEN
     * token issuance profile, Section 6.4.4): the same {@code type}; {@code actions}, {@code datatypes},
     * {@code privileges} a subset where {@code requested} has them; {@code locations} a subset of
     * {@code requested}'s, or, where {@code requested} has none, of {@code targets} (null: any); the same
     * {@code identifier} where {@code requested} has one; and every other member exactly {@code requested}'s, both
     * ways, since whether a different value of a type's own member is narrower cannot be known without that type's
     * definition.
     */
    public static boolean covers(Map<String, Object> requested, Map<String, Object> cell, Collection<String> targets) {
        if (!String.valueOf(requested.get("type")).equals(String.valueOf(cell.get("type")))) {
            return false;
        }
        for (String member : List.of("actions", "datatypes", "privileges")) {
            if (requested.containsKey(member) && !subset(cell.get(member), requested.get(member))) {
                return false;
            }
        }
        if (requested.containsKey("locations")) {
            if (!subset(cell.get("locations"), requested.get("locations"))) {
                return false;
            }
        } else if (targets != null && cell.containsKey("locations") && !subset(cell.get("locations"), targets)) {
            return false;
        }
        if (requested.containsKey("identifier") && !requested.get("identifier").equals(cell.get("identifier"))) {
            return false;
        }
        Set<String> own = new HashSet<>(requested.keySet());
        own.addAll(cell.keySet());
        own.removeAll(COMMON_MEMBERS);
        for (String member : own) {
            if (!Objects.equals(requested.get(member), cell.get(member))) {
                return false;
            }
        }
        return true;
    }

    /** A list of values, all in {@code of}; an absent list is no subset (it would mean "any"). */
    private static boolean subset(Object values, Object of) {
        if (!(values instanceof Collection<?> items) || !(of instanceof Collection<?> allowed)) {
            return false;
        }
        return allowed.containsAll(items);
    }

    /** The cell with {@code member} restricted to {@code allowed}; null when nothing of it is left. */
    private static Map<String, Object> restrict(Map<String, Object> cell, String member, Set<String> allowed) {
        if (allowed == null) {
            return cell;
        }
        if (!(cell.get(member) instanceof List<?> values)) {
            return null;
        }
        List<Object> kept = new ArrayList<>(values.size());
        for (Object value : values) {
            if (allowed.contains(String.valueOf(value))) {
                kept.add(value);
            }
        }
        if (kept.isEmpty()) {
            return null;
        }
        if (kept.size() == values.size()) {
            return cell;
        }
        Map<String, Object> copy = new LinkedHashMap<>(cell);
        copy.put(member, List.copyOf(kept));
        return Collections.unmodifiableMap(copy);
    }

    private static boolean isStringArray(JsonNode value) {
        if (!value.isArray()) {
            return false;
        }
        for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
            if (!it.next().isTextual()) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readOnly(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            out.put(e.getKey(), readOnlyValue(e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    @SuppressWarnings("unchecked")
    private static Object readOnlyValue(Object value) {
        if (value instanceof Map<?, ?> m) {
            return readOnly((Map<String, Object>) m);
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(readOnlyValue(o));
            }
            return Collections.unmodifiableList(out);
        }
        return value;
    }
}
