package io.mintgate.authorizer.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code tests} section of a policy document: named cases, each a request and the decision expected for it,
 * run against the compiled policy with a fixed clock and without budgets or PDPs (a rule that needs one fails as
 * if it were unreachable, and its {@code onError} applies). A failing or malformed case is a {@link PolicyProblem}
 * at {@code tests[i]}, so saving a policy whose tests fail is refused like any other invalid policy.
 */
public final class PolicyTests {

    /** The clock of a case whose request has no {@code time}. */
    public static final Instant DEFAULT_TIME = Instant.parse("2026-01-01T00:00:00Z");

    private static final Set<String> CASE_FIELDS = Set.of("name", "request", "expect");
    private static final Set<String> EXPECT_FIELDS = Set.of("outcome", "reason", "rule", "obligations", "shadowDenials");
    private static final Set<String> OBLIGATION_FIELDS = Set.of("keepScopes", "keepAudiences", "keepRoles",
            "maxAccessTokenLifetime", "refreshToken", "maxRefreshTokenLifetime", "claims",
            "keepAuthorizationDetailTypes", "keepAuthorizationDetailActions", "keepAuthorizationDetailLocations");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private PolicyTests() {
    }

    /** The result of one case; {@code differences} is empty when it passed. */
    public record CaseResult(String name, List<String> differences) {
        public boolean passed() {
            return differences.isEmpty();
        }
    }

    /** Refuses a policy whose tests are malformed or fail, as the compiler refuses an invalid one. */
    public static void verify(String source, PolicySet policy) throws PolicyValidationException {
        List<PolicyProblem> problems = problems(source, policy);
        if (!problems.isEmpty()) {
            throw new PolicyValidationException(problems);
        }
    }

    /** Problems with the tests of {@code source} (malformed or failing cases); empty when all pass or there are none. */
    public static List<PolicyProblem> problems(String source, PolicySet policy) {
        List<PolicyProblem> problems = new ArrayList<>();
        run(source, policy, problems);
        return problems;
    }

    /**
     * Runs every case; malformed ones are added to {@code problems} and not run, failing ones are added too.
     * @return the results of the cases that could be run
     */
    public static List<CaseResult> run(String source, PolicySet policy, List<PolicyProblem> problems) {
        Problems parse = new Problems();
        JsonNode root = PolicyDocumentReader.read(source == null ? "" : source, parse);
        JsonNode tests = root == null ? null : root.get("tests");
        List<CaseResult> results = new ArrayList<>();
        if (tests == null || tests.isNull()) {
            return results;
        }
        if (!tests.isArray()) {
            problems.add(new PolicyProblem("tests", null, 0, 0, "must be a list of test cases"));
            return results;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tests.size(); i++) {
            String field = "tests[" + i + "]";
            JsonNode test = tests.get(i);
            String malformed = malformed(test, names);
            if (malformed != null) {
                problems.add(new PolicyProblem(field, null, 0, 0, malformed));
                continue;
            }
            String name = test.get("name").asText();
            IssuanceRequest request;
            try {
                request = IssuanceRequestJson.read(test.get("request"), DEFAULT_TIME);
            } catch (IllegalArgumentException e) {
                problems.add(new PolicyProblem(field + ".request", null, 0, 0, "case '" + name + "': " + e.getMessage()));
                continue;
            }
            List<String> differences;
            try {
                differences = differences(test.get("expect"), policy.evaluate(request, DecisionServices.NONE));
            } catch (IllegalArgumentException e) {
                problems.add(new PolicyProblem(field + ".expect", null, 0, 0, "case '" + name + "': " + e.getMessage()));
                continue;
            }
            results.add(new CaseResult(name, differences));
            if (!differences.isEmpty()) {
                problems.add(new PolicyProblem(field, null, 0, 0,
                        "case '" + name + "' failed: " + String.join("; ", differences)));
            }
        }
        return results;
    }

    private static String malformed(JsonNode test, Set<String> names) {
        if (test == null || !test.isObject()) {
            return "a test case must be an object with name, request and expect";
        }
        for (var it = test.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!CASE_FIELDS.contains(f)) {
                return "unknown member '" + f + "'; a case has " + CASE_FIELDS;
            }
        }
        if (!test.path("name").isTextual() || test.path("name").asText().isBlank()) {
            return "name: required";
        }
        if (!names.add(test.get("name").asText())) {
            return "name: '" + test.get("name").asText() + "' is used by an earlier case";
        }
        if (!test.path("request").isObject()) {
            return "request: required, an object";
        }
        JsonNode expect = test.path("expect");
        if (!expect.isObject()) {
            return "expect: required, an object";
        }
        for (var it = expect.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!EXPECT_FIELDS.contains(f)) {
                return "expect: unknown member '" + f + "'; known: " + EXPECT_FIELDS;
            }
        }
        String outcome = expect.path("outcome").asText("");
        if (!outcome.equals("allow") && !outcome.equals("deny")) {
            return "expect.outcome: required, 'allow' or 'deny'";
        }
        for (var it = expect.path("obligations").fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!OBLIGATION_FIELDS.contains(f)) {
                return "expect.obligations: unknown member '" + f + "'; known: " + OBLIGATION_FIELDS;
            }
        }
        return null;
    }

    /** What differs between the expected decision and {@code actual}; only what the case states is compared. */
    private static List<String> differences(JsonNode expect, Decision actual) {
        List<String> out = new ArrayList<>();
        String outcome = actual.allowed() ? "allow" : "deny";
        if (!expect.get("outcome").asText().equals(outcome)) {
            out.add("outcome expected " + expect.get("outcome").asText() + ", got " + outcome
                    + (actual.allowed() ? "" : " (rule " + actual.rule() + ", reason " + actual.reason() + ")"));
            return out;
        }
        compare(out, "reason", expect.get("reason"), actual.reason());
        compare(out, "rule", expect.get("rule"), actual.rule());
        if (expect.has("shadowDenials")) {
            List<String> expected = texts(expect.get("shadowDenials"));
            List<String> shadowDenied = actual.findings().stream()
                    .filter(f -> f.mode() == Mode.SHADOW && !f.error()).map(RuleFinding::rule).toList();
            if (!expected.equals(shadowDenied)) {
                out.add("shadowDenials expected " + expected + ", got " + shadowDenied);
            }
        }
        JsonNode o = expect.get("obligations");
        if (o != null) {
            Obligations a = actual.obligations();
            compareSet(out, "keepScopes", o.get("keepScopes"), a.keepScopes());
            compareSet(out, "keepAudiences", o.get("keepAudiences"), a.keepAudiences());
            compareSet(out, "keepRoles", o.get("keepRoles"), a.keepRoles());
            AuthorizationDetailLimits details = a.authorizationDetails();
            compareSet(out, "keepAuthorizationDetailTypes", o.get("keepAuthorizationDetailTypes"),
                    details == null ? null : details.types());
            compareSet(out, "keepAuthorizationDetailActions", o.get("keepAuthorizationDetailActions"),
                    details == null ? null : details.actions());
            compareSet(out, "keepAuthorizationDetailLocations", o.get("keepAuthorizationDetailLocations"),
                    details == null ? null : details.locations());
            compareDuration(out, "maxAccessTokenLifetime", o.get("maxAccessTokenLifetime"), a.maxAccessTokenLifetime());
            compareDuration(out, "maxRefreshTokenLifetime", o.get("maxRefreshTokenLifetime"), a.maxRefreshTokenLifetime());
            if (o.has("refreshToken") && o.get("refreshToken").asBoolean() != a.refreshTokenAllowed()) {
                out.add("obligations.refreshToken expected " + o.get("refreshToken").asBoolean() + ", got "
                        + a.refreshTokenAllowed());
            }
            if (o.has("claims")) {
                JsonNode actualClaims = PolicyDocumentReader.tree(a.claims());
                if (!o.get("claims").equals(actualClaims)) {
                    out.add("obligations.claims expected " + o.get("claims") + ", got " + actualClaims);
                }
            }
        }
        return out;
    }

    private static void compare(List<String> out, String what, JsonNode expected, String actual) {
        if (expected != null && !expected.asText().equals(actual)) {
            out.add(what + " expected " + expected.asText() + ", got " + actual);
        }
    }

    private static void compareSet(List<String> out, String what, JsonNode expected, Set<String> actual) {
        if (expected == null) {
            return;
        }
        if (expected.isNull()) {
            if (actual != null) {
                out.add("obligations." + what + " expected unrestricted, got " + sorted(actual));
            }
            return;
        }
        Set<String> wanted = new HashSet<>(texts(expected));
        if (actual == null || !new HashSet<>(actual).equals(wanted)) {
            out.add("obligations." + what + " expected " + sorted(wanted) + ", got "
                    + (actual == null ? "unrestricted" : sorted(actual)));
        }
    }

    private static void compareDuration(List<String> out, String what, JsonNode expected, Duration actual) {
        if (expected == null) {
            return;
        }
        Duration wanted = expected.isNull() ? null : duration(what, expected);
        if (wanted == null ? actual != null : !wanted.equals(actual)) {
            out.add("obligations." + what + " expected " + (wanted == null ? "unrestricted" : wanted) + ", got "
                    + (actual == null ? "unrestricted" : actual));
        }
    }

    /** {@code "10m"}, {@code "300s"}, {@code "1h"}, {@code "500ms"}, ISO-8601 ({@code "PT10M"}) or a number of seconds. */
    static Duration duration(String what, JsonNode value) {
        if (value.isIntegralNumber()) {
            return Duration.ofSeconds(value.asLong());
        }
        String text = value.asText();
        Matcher m = SHORT_DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("obligations." + what + ": '" + text
                    + "' is no duration (\"10m\", \"300s\", \"PT10M\" or a number of seconds)");
        }
    }

    private static List<String> texts(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else if (node != null && !node.isNull()) {
            values.add(node.asText());
        }
        return values;
    }

    private static List<String> sorted(Set<String> set) {
        return set.stream().sorted().toList();
    }
}
