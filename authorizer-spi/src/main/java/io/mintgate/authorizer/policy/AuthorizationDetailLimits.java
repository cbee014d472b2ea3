package io.mintgate.authorizer.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How an allow restricts the RFC 9396 {@code authorization_details} a token is granted: the cell types, and the
 * {@code actions} and {@code locations} values, that may remain, and {@code cells}: the cells an AuthZEN token
 * issuance profile PDP granted, which replace the token's cells where the token's cells cover them (never adding
 * anything, see {@link AuthorizationDetails#narrow}). A {@code null} part leaves that part unrestricted; combining
 * two limits intersects each part, so a combination never allows more than either side.
 */
public record AuthorizationDetailLimits(Set<String> types, Set<String> actions, Set<String> locations,
                                        List<Map<String, Object>> cells) {

    public AuthorizationDetailLimits {
        types = readOnly(types);
        actions = readOnly(actions);
        locations = readOnly(locations);
        cells = cells == null ? null : List.copyOf(cells);
    }

    public AuthorizationDetailLimits(Set<String> types, Set<String> actions, Set<String> locations) {
        this(types, actions, locations, null);
    }

    /** Only these cells, each covered by a cell the token already has. */
    public static AuthorizationDetailLimits onlyCells(List<Map<String, Object>> cells) {
        return new AuthorizationDetailLimits(null, null, null, cells);
    }

    /** Limits from the three lists (null = unrestricted); null when all three are null. */
    public static AuthorizationDetailLimits of(Collection<String> types, Collection<String> actions,
                                               Collection<String> locations) {
        if (types == null && actions == null && locations == null) {
            return null;
        }
        return new AuthorizationDetailLimits(set(types), set(actions), set(locations));
    }

    /** Both limits at once; either side may be null (unrestricted). */
    public static AuthorizationDetailLimits intersect(AuthorizationDetailLimits a, AuthorizationDetailLimits b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new AuthorizationDetailLimits(Obligations.intersect(a.types, b.types),
                Obligations.intersect(a.actions, b.actions), Obligations.intersect(a.locations, b.locations),
                intersectCells(a.cells, b.cells));
    }

    /** The cells of {@code a} that a cell of {@code b} covers. */
    private static List<Map<String, Object>> intersectCells(List<Map<String, Object>> a, List<Map<String, Object>> b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> cell : a) {
            if (AuthorizationDetails.coveredByAny(cell, b, null)) {
                out.add(cell);
            }
        }
        return out;
    }

    private static Set<String> set(Collection<String> values) {
        return values == null ? null : new LinkedHashSet<>(values);
    }

    private static Set<String> readOnly(Set<String> set) {
        return set == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(set));
    }
}
