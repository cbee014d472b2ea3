package io.mintgate.authorizer.policy.authzen;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one entry of the policy's top-level {@code pdps} section into a {@link PdpConfig}, reporting every
 * problem with the entry's path ({@code pdps.<name>.<field>}).
 */
final class PdpDeclarations {

    /** Reports a problem at a path inside {@code pdps}. */
    interface ProblemSink {
        void problem(String path, String message);
    }

    private static final Set<String> PDP_FIELDS = Set.of("url", "timeout", "cacheTtl", "cacheSize", "breaker", "auth", "profile",
            "maxEvaluations");
    private static final Set<String> BREAKER_FIELDS = Set.of("failures", "coolDown");
    private static final Set<String> BEARER_FIELDS = Set.of("type", "token");
    private static final Set<String> CLIENT_CREDENTIALS_FIELDS = Set.of("type", "tokenUrl", "clientId", "clientSecret", "scope");
    private static final Pattern VAULT_REFERENCE = Pattern.compile("\\$\\{vault\\.[^}]+}");
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);

    private PdpDeclarations() {
    }

    /** @return the PDP named {@code name}, or null when it is not declared or has problems (which were reported) */
    static PdpConfig read(JsonNode policy, String name, ProblemSink problems) {
        JsonNode pdps = policy == null ? null : policy.get("pdps");
        if (pdps == null || pdps.isNull()) {
            problems.problem("pdps", "no PDP '" + name + "' is declared: add it under the top-level 'pdps' object");
            return null;
        }
        if (!pdps.isObject()) {
            problems.problem("pdps", "must be an object of PDP name to PDP");
            return null;
        }
        JsonNode node = pdps.get(name);
        String path = "pdps." + name;
        if (node == null) {
            problems.problem("pdps", "no PDP '" + name + "' is declared (declared: " + String.join(", ", iterable(pdps.fieldNames())) + ")");
            return null;
        }
        if (!node.isObject()) {
            problems.problem(path, "must be an object");
            return null;
        }
        int[] count = {0};
        ProblemSink counting = (p, m) -> {
            count[0]++;
            problems.problem(p, m);
        };
        unknown(node, PDP_FIELDS, path, counting);
        URI url = url(node, "url", path, counting, true);
        Duration timeout = duration(node, "timeout", path, counting, PdpConfig.DEFAULT_TIMEOUT, false);
        if (timeout != null && timeout.compareTo(MAX_TIMEOUT) > 0) {
            counting.problem(path + ".timeout", "must be at most " + MAX_TIMEOUT + " (the token request waits for it)");
        }
        Duration cacheTtl = duration(node, "cacheTtl", path, counting, PdpConfig.DEFAULT_CACHE_TTL, true);
        int cacheSize = integer(node, "cacheSize", path, counting, PdpConfig.DEFAULT_CACHE_SIZE, 1, 1_000_000);
        int failures = PdpConfig.DEFAULT_BREAKER_FAILURES;
        Duration coolDown = PdpConfig.DEFAULT_BREAKER_COOL_DOWN;
        JsonNode breaker = node.get("breaker");
        if (breaker != null && !breaker.isNull()) {
            if (!breaker.isObject()) {
                counting.problem(path + ".breaker", "must be an object with 'failures' and 'coolDown'");
            } else {
                unknown(breaker, BREAKER_FIELDS, path + ".breaker", counting);
                failures = integer(breaker, "failures", path + ".breaker", counting, failures, 1, 1000);
                coolDown = duration(breaker, "coolDown", path + ".breaker", counting, coolDown, false);
            }
        }
        PdpAuth auth = auth(node.get("auth"), path + ".auth", counting);
        String profile = text(node, "profile", path, counting);
        if (profile == null) {
            profile = PdpConfig.PLAIN;
        } else if (!PdpConfig.PLAIN.equals(profile) && !PdpConfig.TOKEN_ISSUANCE.equals(profile)) {
            counting.problem(path + ".profile", "must be one of plain | token-issuance but was '" + profile + "'");
        }
        int maxEvaluations = integer(node, "maxEvaluations", path, counting, PdpConfig.DEFAULT_MAX_EVALUATIONS, 1, 1000);
        if (node.has("maxEvaluations") && !PdpConfig.TOKEN_ISSUANCE.equals(profile)) {
            counting.problem(path + ".maxEvaluations", "applies only to a PDP with \"profile\": \"token-issuance\"");
        }
        if (count[0] > 0) {
            return null;
        }
        return new PdpConfig(name, url, timeout, cacheTtl, cacheSize, failures, coolDown, auth, profile, maxEvaluations);
    }

    private static PdpAuth auth(JsonNode node, String path, ProblemSink problems) {
        if (node == null || node.isNull()) {
            return PdpAuth.NONE;
        }
        if (!node.isObject()) {
            problems.problem(path, "must be an object with a 'type'");
            return PdpAuth.NONE;
        }
        String type = text(node, "type", path, problems);
        if (type == null) {
            problems.problem(path + ".type", "is required: none | bearer | client_credentials");
            return PdpAuth.NONE;
        }
        switch (type) {
            case "none" -> {
                unknown(node, Set.of("type"), path, problems);
                return PdpAuth.NONE;
            }
            case "bearer" -> {
                unknown(node, BEARER_FIELDS, path, problems);
                String token = secret(node, "token", path, problems);
                return new PdpAuth.Bearer(token);
            }
            case "client_credentials" -> {
                unknown(node, CLIENT_CREDENTIALS_FIELDS, path, problems);
                URI tokenUrl = url(node, "tokenUrl", path, problems, true);
                String clientId = text(node, "clientId", path, problems);
                if (clientId == null || clientId.isBlank()) {
                    problems.problem(path + ".clientId", "is required");
                }
                String secret = secret(node, "clientSecret", path, problems);
                String scope = text(node, "scope", path, problems);
                return new PdpAuth.ClientCredentials(tokenUrl, clientId, secret, scope);
            }
            default -> {
                problems.problem(path + ".type", "must be one of none | bearer | client_credentials but was '" + type + "'");
                return PdpAuth.NONE;
            }
        }
    }

    /** A secret field: required; either a vault reference (recommended) or the value itself. */
    private static String secret(JsonNode node, String key, String path, ProblemSink problems) {
        String value = text(node, key, path, problems);
        if (value == null || value.isEmpty()) {
            problems.problem(path + "." + key, "is required (write a Keycloak vault reference: ${vault.<key>})");
            return null;
        }
        if (value.contains("${") && !VAULT_REFERENCE.matcher(value).matches()) {
            // Never echo the value: it may be a secret typed by mistake.
            problems.problem(path + "." + key, "a vault reference must be exactly ${vault.<key>}");
        }
        return value;
    }

    private static URI url(JsonNode node, String key, String path, ProblemSink problems, boolean required) {
        String value = text(node, key, path, problems);
        if (value == null) {
            if (required) {
                problems.problem(path + "." + key, "is required (an absolute http or https URL)");
            }
            return null;
        }
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null) {
                problems.problem(path + "." + key, "must be an absolute http or https URL but was '" + value + "'");
                return null;
            }
            if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problems.problem(path + "." + key, "must not carry credentials, a query or a fragment");
                return null;
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            problems.problem(path + "." + key, "is not a valid URL: " + e.getReason());
            return null;
        }
    }

    private static Duration duration(JsonNode node, String key, String path, ProblemSink problems, Duration fallback,
                                     boolean zeroAllowed) {
        String value = text(node, key, path, problems);
        if (value == null) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(value);
            if (d.isNegative() || (!zeroAllowed && d.isZero())) {
                problems.problem(path + "." + key, "must be " + (zeroAllowed ? "zero or positive" : "positive") + " but was '" + value + "'");
                return fallback;
            }
            return d;
        } catch (DateTimeParseException e) {
            problems.problem(path + "." + key, "must be an ISO-8601 duration such as PT0.25S or PT30S but was '" + value + "'");
            return fallback;
        }
    }

    private static int integer(JsonNode node, String key, String path, ProblemSink problems, int fallback, int min, int max) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            problems.problem(path + "." + key, "must be an integer from " + min + " to " + max);
            return fallback;
        }
        return value.asInt();
    }

    private static String text(JsonNode node, String key, String path, ProblemSink problems) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.problem(path + "." + key, "must be a string");
            return null;
        }
        return value.asText();
    }

    private static void unknown(JsonNode node, Set<String> known, String path, ProblemSink problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                problems.problem(path + "." + key, "unknown field '" + key + "'");
            }
        }
    }

    private static Iterable<String> iterable(Iterator<String> it) {
        java.util.List<String> names = new java.util.ArrayList<>();
        it.forEachRemaining(names::add);
        return names;
    }
}
