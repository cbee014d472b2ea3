package io.mintgate.authorizer.policy.authzen;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.authorizer.policy.AuthorizationDetailLimits;
import io.mintgate.authorizer.policy.AuthorizationDetails;
import io.mintgate.authorizer.policy.Obligations;
import io.mintgate.authorizer.policy.PolicyEvaluationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Composes a token issuance profile answer (Draft 1, Sections 5.5.4-5.5.5 and 6) into what Mintgate does with the
 * token: refuse it, or mint it narrowed by {@link Obligations} (surviving audiences, surviving scopes, the lifetime
 * ceiling, the PDP's claims). An answer that breaks the profile's rules (a broadening value, a reserved claim, an
 * unknown critical member, a key Mintgate does not apply, a malformed value) is no decision: a
 * {@link PolicyEvaluationException}, which fails closed (Section 11.1).
 */
public final class IssuanceShaping {

    /** Section 6.5.1: claims a PDP must not set, and an AS must reject. */
    static final Set<String> RESERVED_CLAIMS = Set.of("iss", "iat", "jti", "sub", "aud", "exp", "nbf", "scope",
            "client_id", "cnf", "act", "authorization_details", "may_act");
    /** Claims Keycloak itself owns in its tokens: Mintgate does not overwrite them, so it cannot apply them. */
    static final Set<String> AS_OWNED_CLAIMS = Set.of("azp", "typ", "sid", "session_state", "auth_time", "nonce",
            "acr", "amr", "realm_access", "resource_access", "allowed-origins", "mintgate_narrowing");
    private static final Set<String> KNOWN_KEYS = Set.of("granted_scope", "token_lifetime", "audience",
            "authorization_details", "crit", "claims");

    /** RFC 6749 Section 5.2: every requested scope refused (profile Section 8, binding Section 7). */
    static final String INVALID_SCOPE = "invalid_scope";
    /** RFC 8693 Section 2.2.2 (and RFC 8707): no target the token may be issued for. */
    static final String INVALID_TARGET = "invalid_target";
    /** RFC 9396 Section 6: no authorization details entry granted. */
    static final String INVALID_AUTHORIZATION_DETAILS = "invalid_authorization_details";
    /** Binding Section 7: a denied gate of a token exchange, whichever of its two gates it was. */
    static final String INVALID_REQUEST = "invalid_request";

    /**
     * What the answer means for the token: a refusal (with why, for the log, and the OAuth error the profile names
     * for it, null where it names none), or the narrowing to apply.
     */
    public record Outcome(boolean refused, String why, Obligations obligations, String error) {

        static Outcome refuse(String why, String error) {
            return new Outcome(true, why, null, error);
        }
    }

    private IssuanceShaping() {
    }

    public static Outcome compose(IssuanceEvaluations batch, AuthzenAnswer answer, String pdp) {
        int targets = batch.targets().size();
        int scopes = batch.scopes().size();
        if (answer.size() != batch.size()) {
            throw failure(pdp, answer.size() + " decisions for " + batch.size() + " evaluations");
        }
        // Section 5.5.4 (and binding Section 4.6: a token exchange fails if either gate is denied).
        boolean[] survives = new boolean[targets];
        int surviving = 0;
        boolean withdrawn = false;
        for (int t = 0; t < targets; t++) {
            boolean permitted = true;
            for (int g = 0; g < batch.gates(); g++) {
                permitted &= answer.decision(batch.gateIndex(t, g));
            }
            if (!permitted && batch.exchange()) {
                return Outcome.refuse("gate tuple denied at " + batch.targets().get(t) + " (token exchange)",
                        INVALID_REQUEST);
            }
            survives[t] = permitted;
        }
        // Section 6.4.3: an `audience` key on a permitted item is that item's own target, or empty (withdrawn).
        AuthorizationDetailTuples details = batch.details();
        boolean[] cellPermitted = new boolean[details.size()];
        for (int c = 0; c < cellPermitted.length; c++) {
            cellPermitted[c] = answer.decision(batch.cellIndex(c));
        }
        for (int i = 0; i < answer.size(); i++) {
            JsonNode audience = permitted(answer, i) ? issuance(answer, i, pdp).get("audience") : null;
            if (audience == null) {
                continue;
            }
            if (batch.isCell(i)) {
                // a cell's resource is its location: the value is that location, or empty, which denies the cell
                AuthorizationDetailTuples.Cell cell = details.cells().get(i - batch.cellIndex(0));
                if (!audience.isArray()) {
                    throw failure(pdp, "issuance.audience of evaluation " + i + " is not an array");
                }
                for (JsonNode value : audience) {
                    if (!value.isTextual() || !value.asText().equals(cell.location())) {
                        throw failure(pdp, "issuance.audience of evaluation " + i + " names another resource than its"
                                + " own (Section 6.4.3: broadening)");
                    }
                }
                if (audience.isEmpty()) {
                    cellPermitted[i - batch.cellIndex(0)] = false;
                }
                continue;
            }
            int t = batch.targetOf(i);
            if (!audience.isArray()) {
                throw failure(pdp, "issuance.audience of evaluation " + i + " is not an array");
            }
            for (JsonNode value : audience) {
                if (!value.isTextual() || !value.asText().equals(batch.targets().get(t))) {
                    throw failure(pdp, "issuance.audience of evaluation " + i + " names another target than its own"
                            + " (Section 6.4.3: broadening)");
                }
            }
            if (audience.isEmpty()) {
                survives[t] = false;
                withdrawn = true;
            }
        }
        for (boolean s : survives) {
            surviving += s ? 1 : 0;
        }
        if (surviving == 0) {
            // Section 8: a denied gate fails the request; a target set that shaping emptied is invalid_target
            return Outcome.refuse("no issuance target survives (Sections 5.5.4, 6.4.3)",
                    withdrawn || batch.exchange() ? INVALID_TARGET : null);
        }
        // Section 5.5.5: a scope is kept only where it was permitted at every surviving target.
        Set<String> keptScopes = new LinkedHashSet<>();
        for (int s = 0; s < scopes; s++) {
            boolean everywhere = true;
            for (int t = 0; t < targets && everywhere; t++) {
                everywhere = !survives[t] || answer.decision(batch.scopeIndex(t, s));
            }
            if (everywhere) {
                keptScopes.add(batch.scopes().get(s));
            }
        }
        // Section 6.6: shaping of permitted items that were not disregarded; denied items' shaping is ignored.
        long lifetime = Long.MAX_VALUE;
        Set<String> granted = null;
        Map<String, Object> claims = null;
        Set<String> crit = null;
        List<Map<String, Object>> returnedDetails = null;
        Set<String> removedTargets = new LinkedHashSet<>();
        for (int t = 0; t < targets; t++) {
            if (!survives[t]) {
                removedTargets.add(batch.targets().get(t));
            }
        }
        for (int i = 0; i < answer.size(); i++) {
            if (!permitted(answer, i)) {
                continue;
            }
            if (batch.isCell(i)) {
                AuthorizationDetailTuples.Cell cell = details.cells().get(i - batch.cellIndex(0));
                if ((cell.target() >= 0 && !survives[cell.target()]) || removedTargets.contains(cell.location())) {
                    continue; // Section 5.5.4: disregarded with its target
                }
            } else if (!survives[batch.targetOf(i)]) {
                continue;
            }
            JsonNode issuance = issuance(answer, i, pdp);
            for (Iterator<Map.Entry<String, JsonNode>> it = issuance.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> key = it.next();
                JsonNode value = key.getValue();
                switch (key.getKey()) {
                    case "token_lifetime" -> {
                        if (!value.isIntegralNumber() || value.asLong() < 0 || !value.canConvertToLong()) {
                            throw failure(pdp, "issuance.token_lifetime of evaluation " + i + " is not a non-negative integer");
                        }
                        lifetime = Math.min(lifetime, value.asLong());
                    }
                    case "granted_scope" -> {
                        if (!value.isTextual()) {
                            throw failure(pdp, "issuance.granted_scope of evaluation " + i + " is not a string");
                        }
                        granted = granted == null ? new LinkedHashSet<>() : granted;
                        for (String scope : value.asText().trim().split(" +")) {
                            if (scope.isEmpty()) {
                                continue;
                            }
                            if (!batch.scopes().contains(scope)) {
                                throw failure(pdp, "issuance.granted_scope of evaluation " + i + " names a scope the "
                                        + "request would not otherwise get (Section 6.4.1: broadening)");
                            }
                            granted.add(scope);
                        }
                    }
                    case "audience" -> {
                        // checked above
                    }
                    case "authorization_details" -> returnedDetails = union(returnedDetails, value, i, pdp);
                    case "crit" -> {
                        if (!value.isArray()) {
                            throw failure(pdp, "issuance.crit of evaluation " + i + " is not an array");
                        }
                        crit = crit == null ? new LinkedHashSet<>() : crit;
                        for (JsonNode member : value) {
                            if (!member.isTextual()) {
                                throw failure(pdp, "issuance.crit of evaluation " + i + " holds a non-string");
                            }
                            crit.add(member.asText());
                        }
                    }
                    case "claims" -> claims = mergeClaims(claims, value, i, pdp);
                    default -> throw failure(pdp, "issuance." + key.getKey() + " of evaluation " + i
                            + " is not a member Mintgate understands; it may narrow the token, so the permit is"
                            + " treated as a denial (Section 6.2)");
                }
            }
        }
        if (lifetime == 0) {
            return Outcome.refuse("token_lifetime 0 (Section 6.4.2)", null);
        }
        if (granted != null) {
            keptScopes.retainAll(granted);
        }
        // Sections 5.5.6 and 6.4.4: the entries rebuilt from the permitted cells, or the PDP's own entries, each
        // covered by one requested entry and by one rebuilt entry (never a cell the PDP denied)
        List<Map<String, Object>> requestedDetails = details.entries();
        List<Map<String, Object>> grantedDetails = details.reassemble(cellPermitted, survives, batch.targets());
        if (returnedDetails != null) {
            List<String> survivingTargets = new ArrayList<>();
            for (int t = 0; t < targets; t++) {
                if (survives[t]) {
                    survivingTargets.add(batch.targets().get(t));
                }
            }
            for (Map<String, Object> entry : returnedDetails) {
                if (!AuthorizationDetails.coveredByAny(entry, requestedDetails, batch.targets())
                        || !AuthorizationDetails.coveredByAny(entry, grantedDetails, survivingTargets)) {
                    throw failure(pdp, "issuance.authorization_details returns an entry of type '" + entry.get("type")
                            + "' that no single requested and permitted entry covers (Section 6.4.4: broadening)");
                }
            }
            grantedDetails = returnedDetails;
        }
        if (!requestedDetails.isEmpty() && grantedDetails.isEmpty()) {
            return Outcome.refuse("no authorization details entry survives (Section 5.5.6)",
                    INVALID_AUTHORIZATION_DETAILS);
        }
        if (scopes > 0 && keptScopes.isEmpty() && grantedDetails.isEmpty()) {
            return Outcome.refuse("no requested scope survives (Section 5.5.5)", INVALID_SCOPE);
        }
        if (claims != null) {
            // Mintgate leaves Keycloak's own claims alone, so it does not apply these (Section 6.5.1: advisory).
            claims.keySet().removeIf(AS_OWNED_CLAIMS::contains);
        }
        if (crit != null) {
            for (String member : crit) {
                if (claims == null || !claims.containsKey(member)) {
                    throw failure(pdp, "issuance.crit names '" + member + "', a claim Mintgate does not apply"
                            + " (Section 6.4.5)");
                }
            }
        }
        Obligations.Builder obligations = Obligations.builder();
        if (surviving < targets) {
            List<String> kept = new ArrayList<>(surviving);
            for (int t = 0; t < targets; t++) {
                if (survives[t]) {
                    kept.add(batch.targets().get(t));
                }
            }
            obligations.keepAudiences(new LinkedHashSet<>(kept));
        }
        if (keptScopes.size() < scopes || granted != null) {
            obligations.keepScopes(keptScopes);
        }
        if (lifetime != Long.MAX_VALUE) {
            obligations.maxAccessTokenLifetime(Duration.ofSeconds(lifetime));
        }
        if (claims != null && !claims.isEmpty()) {
            obligations.claims(claims);
        }
        if (!grantedDetails.equals(requestedDetails)) {
            obligations.authorizationDetails(AuthorizationDetailLimits.onlyCells(grantedDetails));
        }
        return new Outcome(false, null, obligations.build(), null);
    }

    /** Section 6.6: the union of the entries permitted items return, each an RFC 9396 entry. */
    private static List<Map<String, Object>> union(List<Map<String, Object>> entries, JsonNode value, int item, String pdp) {
        List<Map<String, Object>> parsed;
        try {
            parsed = AuthorizationDetails.parse(value.toString());
        } catch (AuthorizationDetails.Malformed e) {
            throw failure(pdp, "issuance.authorization_details of evaluation " + item + ": " + e.getMessage());
        }
        List<Map<String, Object>> out = entries == null ? new ArrayList<>() : entries;
        for (Map<String, Object> entry : parsed) {
            if (!out.contains(entry)) {
                out.add(entry);
            }
        }
        return out;
    }

    private static Map<String, Object> mergeClaims(Map<String, Object> claims, JsonNode value, int item, String pdp) {
        if (!value.isObject()) {
            throw failure(pdp, "issuance.claims of evaluation " + item + " is not an object");
        }
        Map<String, Object> merged = claims == null ? new LinkedHashMap<>() : claims;
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> claim = it.next();
            String name = claim.getKey();
            if (RESERVED_CLAIMS.contains(name)) {
                throw failure(pdp, "issuance.claims of evaluation " + item + " sets the reserved claim '" + name
                        + "' (Section 6.5.1)");
            }
            Object plain = plain(claim.getValue());
            if (plain == null) {
                continue; // a JSON null adds nothing
            }
            Object previous = merged.putIfAbsent(name, plain);
            if (previous != null && !previous.equals(plain)) {
                throw failure(pdp, "two evaluations return different values for claim '" + name + "' (Section 6.6)");
            }
        }
        return merged;
    }

    /** A JSON value as the plain Java value a token claim holds (String, Long, Double, Boolean, List, Map). */
    static Object plain(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(plain(element)));
            return List.copyOf(list);
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return java.util.Collections.unmodifiableMap(map);
        }
        return null;
    }

    private static boolean permitted(AuthzenAnswer answer, int index) {
        return answer.decision(index);
    }

    private static final JsonNode EMPTY = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();

    /** Section 6.1: the item's {@code context.issuance}, empty when absent; members outside it are ignored. */
    private static JsonNode issuance(AuthzenAnswer answer, int index, String pdp) {
        JsonNode context = answer.context(index);
        if (context == null || context.isNull()) {
            return EMPTY;
        }
        if (!context.isObject()) {
            throw failure(pdp, "context of evaluation " + index + " is not an object");
        }
        JsonNode issuance = context.get("issuance");
        if (issuance == null || issuance.isNull()) {
            return EMPTY;
        }
        if (!issuance.isObject()) {
            throw failure(pdp, "context.issuance of evaluation " + index + " is not an object");
        }
        return issuance;
    }

    private static PolicyEvaluationException failure(String pdp, String message) {
        return new PolicyEvaluationException("authzen pdp '" + pdp + "': " + message, null);
    }
}
