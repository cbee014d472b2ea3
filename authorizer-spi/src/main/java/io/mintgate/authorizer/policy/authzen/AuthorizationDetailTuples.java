package io.mintgate.authorizer.policy.authzen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The authorization detail tuples of the AuthZEN token issuance profile (Draft 1, Section 5.3.4) for the request's
 * RFC 9396 entries, and the entries reassembled from the cells the PDP permitted (Section 5.5.6).
 *
 * <p>An entry is a product: one tuple per cell, {@code resource.type} the entry's {@code type}, {@code resource.id}
 * each {@code locations} value (each requested target where the entry has none: a "fanned" entry), {@code action.name}
 * each {@code actions} value ({@code authorization_detail} where it has none), joined with each {@code datatypes}
 * value as {@code <action>:<datatype>} unless a datatype contains a colon (then the datatypes are not decomposed).
 */
record AuthorizationDetailTuples(List<Map<String, Object>> entries, List<Cell> cells) {

    /** Section 5.3.4: the action of an entry without {@code actions}. */
    static final String NO_ACTION = "authorization_detail";

    static final AuthorizationDetailTuples NONE = new AuthorizationDetailTuples(List.of(), List.of());

    /**
     * One evaluation. {@code target} is the requested target's index for a fanned entry, else -1; {@code action} and
     * {@code datatype} are null where the entry has no such member (or, for the datatype, it is not decomposed).
     */
    record Cell(int entry, String location, int target, String action, String datatype) {

        String actionName() {
            String name = action == null ? NO_ACTION : action;
            return datatype == null ? name : name + ":" + datatype;
        }
    }

    static AuthorizationDetailTuples form(List<Map<String, Object>> entries, List<String> targets) {
        if (entries.isEmpty()) {
            return NONE;
        }
        List<Cell> cells = new ArrayList<>();
        for (int e = 0; e < entries.size(); e++) {
            Map<String, Object> entry = entries.get(e);
            List<String> locations = strings(entry, "locations");
            List<String> actions = strings(entry, "actions");
            List<String> datatypes = decomposedDatatypes(entry);
            boolean fanned = locations == null;
            int places = fanned ? targets.size() : locations.size();
            for (int l = 0; l < places; l++) {
                for (String action : actions == null ? Collections.<String>singletonList(null) : actions) {
                    for (String datatype : datatypes == null ? Collections.<String>singletonList(null) : datatypes) {
                        cells.add(new Cell(e, fanned ? targets.get(l) : locations.get(l), fanned ? l : -1, action,
                                datatype));
                    }
                }
            }
        }
        return new AuthorizationDetailTuples(entries, List.copyOf(cells));
    }

    int size() {
        return cells.size();
    }

    String type(Cell cell) {
        return String.valueOf(entries.get(cell.entry()).get("type"));
    }

    /**
     * Section 5.5.6: each entry rebuilt from its permitted cells, split into several entries of its type where the
     * survivors are no single product, never widened; an entry with no surviving cell is dropped. A cell at a
     * removed target is disregarded (Section 5.5.4); a fanned entry's cell survives only where it was permitted at
     * every surviving target.
     *
     * @param permitted       the decision of each cell, in {@link #cells} order
     * @param survivingTarget per requested target, whether it survived the gates (Section 5.5.4)
     * @param targets         the requested targets
     */
    List<Map<String, Object>> reassemble(boolean[] permitted, boolean[] survivingTarget, List<String> targets) {
        Set<String> removed = new LinkedHashSet<>();
        for (int t = 0; t < targets.size(); t++) {
            if (!survivingTarget[t]) {
                removed.add(targets.get(t));
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int e = 0; e < entries.size(); e++) {
            Map<String, Object> entry = entries.get(e);
            // location (null for a fanned entry) -> action -> datatypes, in request order
            Map<String, Map<String, Set<String>>> kept = new LinkedHashMap<>();
            Map<List<String>, Boolean> fannedEverywhere = new LinkedHashMap<>();
            int total = 0;
            for (int i = 0; i < cells.size(); i++) {
                Cell cell = cells.get(i);
                if (cell.entry() != e) {
                    continue;
                }
                total++;
                if (cell.target() >= 0) {
                    if (!survivingTarget[cell.target()]) {
                        continue; // disregarded with its removed target
                    }
                    List<String> key = java.util.Arrays.asList(cell.action(), cell.datatype());
                    fannedEverywhere.merge(key, permitted[i], Boolean::logicalAnd);
                } else if (permitted[i] && !removed.contains(cell.location())) {
                    kept.computeIfAbsent(cell.location(), l -> new LinkedHashMap<>())
                            .computeIfAbsent(cell.action(), a -> new LinkedHashSet<>()).add(cell.datatype());
                }
            }
            for (Map.Entry<List<String>, Boolean> f : fannedEverywhere.entrySet()) {
                if (f.getValue()) {
                    kept.computeIfAbsent(null, l -> new LinkedHashMap<>())
                            .computeIfAbsent(f.getKey().get(0), a -> new LinkedHashSet<>()).add(f.getKey().get(1));
                }
            }
            int survivors = kept.values().stream().mapToInt(m -> m.values().stream().mapToInt(Set::size).sum()).sum();
            boolean fanned = !entry.containsKey("locations");
            boolean whole = fanned ? !fannedEverywhere.isEmpty() && !fannedEverywhere.containsValue(false)
                    : survivors == total;
            if (whole) {
                out.add(entry); // the whole product survived
                continue;
            }
            out.addAll(rebuild(entry, kept));
        }
        return out;
    }

    /** The smallest set of exact products: per location, actions grouped by their datatypes; equal ones merged. */
    private static List<Map<String, Object>> rebuild(Map<String, Object> entry, Map<String, Map<String, Set<String>>> kept) {
        record Rectangle(List<String> actions, List<String> datatypes) {
        }
        Map<Rectangle, List<String>> locationsOf = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Set<String>>> location : kept.entrySet()) {
            Map<List<String>, List<String>> actionsByDatatypes = new LinkedHashMap<>();
            for (Map.Entry<String, Set<String>> action : location.getValue().entrySet()) {
                actionsByDatatypes.computeIfAbsent(new ArrayList<>(action.getValue()), d -> new ArrayList<>())
                        .add(action.getKey());
            }
            for (Map.Entry<List<String>, List<String>> r : actionsByDatatypes.entrySet()) {
                locationsOf.computeIfAbsent(new Rectangle(r.getValue(), r.getKey()), k -> new ArrayList<>())
                        .add(location.getKey());
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<Rectangle, List<String>> r : locationsOf.entrySet()) {
            Map<String, Object> rebuilt = new LinkedHashMap<>(entry);
            if (entry.containsKey("locations")) {
                rebuilt.put("locations", List.copyOf(r.getValue()));
            }
            if (entry.containsKey("actions")) {
                rebuilt.put("actions", List.copyOf(r.getKey().actions()));
            }
            if (!r.getKey().datatypes().contains(null)) {
                rebuilt.put("datatypes", List.copyOf(r.getKey().datatypes()));
            }
            out.add(Collections.unmodifiableMap(rebuilt));
        }
        return out;
    }

    /** The entry's datatypes when they are decomposed into action names (none contains a colon), else null. */
    private static List<String> decomposedDatatypes(Map<String, Object> entry) {
        List<String> datatypes = strings(entry, "datatypes");
        if (datatypes == null || datatypes.stream().anyMatch(d -> d.contains(":"))) {
            return null;
        }
        return datatypes;
    }

    private static List<String> strings(Map<String, Object> entry, String member) {
        if (!(entry.get(member) instanceof List<?> values)) {
            return null;
        }
        List<String> out = new ArrayList<>(values.size());
        for (Object value : values) {
            String s = Objects.toString(value);
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
