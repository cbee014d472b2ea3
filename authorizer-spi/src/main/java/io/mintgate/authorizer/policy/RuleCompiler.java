package io.mintgate.authorizer.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.authorizer.policy.cel.CelEnvironment;
import io.mintgate.authorizer.policy.cel.CompiledExpression;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates and compiles one entry of {@code rules}, recording every problem it finds. */
final class RuleCompiler {

    static final String DEFAULT_MESSAGE = "The token request was refused by policy.";

    private static final Set<String> RULE_FIELDS;

    static {
        Set<String> fields = new java.util.HashSet<>(Set.of(
                "name", "match", "deny", "allowIf", "message", "reason", "mode", "onError", "obligations"));
        fields.addAll(RuleChecks.BY_FIELD.keySet());
        RULE_FIELDS = Set.copyOf(fields);
    }
    private static final Set<String> OBLIGATION_FIELDS = Set.of("keepScopes", "keepAudiences", "keepRoles",
            "maxAccessTokenLifetime", "refreshToken", "maxRefreshTokenLifetime", "claims", "decisionIdClaim", "actClaim",
            "keepAuthorizationDetailTypes", "keepAuthorizationDetailActions", "keepAuthorizationDetailLocations");
    private static final Pattern REASON = Pattern.compile("[a-z0-9_]+");
    private static final int MAX_MESSAGE_LENGTH = 500;

    private final CelEnvironment.ExpressionCompiler compiler;
    private final Problems problems;
    private final JsonNode policy;

    RuleCompiler(CelEnvironment.ExpressionCompiler compiler, Problems problems) {
        this(compiler, problems, null);
    }

    RuleCompiler(CelEnvironment.ExpressionCompiler compiler, Problems problems, JsonNode policy) {
        this.compiler = compiler;
        this.problems = problems;
        this.policy = policy;
    }

    /** The compiled rule, or null when it has problems (which are recorded). */
    Rule compile(JsonNode node, String path) {
        if (!node.isObject()) {
            problems.add(path, null, "a rule must be a JSON object");
            return null;
        }
        int before = problemCount();
        String name = text(node, "name", path, null);
        if (name == null || name.isBlank()) {
            problems.add(path + ".name", null, "a rule needs a non-empty name");
            name = null;
        }
        rejectUnknown(node, RULE_FIELDS, path, name);

        String reason = text(node, "reason", path, name);
        if (reason == null) {
            problems.add(path + ".reason", name, "a rule needs a reason code");
        } else if (!REASON.matcher(reason).matches()) {
            problems.add(path + ".reason", name, "reason must match [a-z0-9_]+ but was '" + reason + "'");
        } else if (PolicySet.POLICY_ERROR.equals(reason)) {
            problems.add(path + ".reason", name, "reason 'policy_error' is reserved for evaluation errors");
        }
        String message = text(node, "message", path, name);
        if (message != null && message.length() > MAX_MESSAGE_LENGTH) {
            problems.add(path + ".message", name, "message is longer than " + MAX_MESSAGE_LENGTH + " characters");
        }
        Mode mode = choice(node, "mode", path, name, Mode.class, Mode.ENFORCE);
        OnError onError = choice(node, "onError", path, name, OnError.class, OnError.DENY);

        String deny = text(node, "deny", path, name);
        String allowIf = text(node, "allowIf", path, name);
        boolean hasChecks = RuleChecks.BY_FIELD.keySet().stream().anyMatch(node::has);
        if (deny != null && allowIf != null) {
            problems.add(path, name, "a rule needs exactly one of 'deny' or 'allowIf'");
        } else if (deny == null && allowIf == null && !hasChecks) {
            problems.add(path, name, "a rule needs exactly one of 'deny' or 'allowIf'"
                    + (RuleChecks.BY_FIELD.isEmpty() ? "" : " (or a check: " + String.join(", ", RuleChecks.BY_FIELD.keySet()) + ")"));
        }
        CompiledExpression match = expression(node, "match", path, name, ExpectedType.BOOL);
        CompiledExpression condition = deny != null
                ? expression(node, "deny", path, name, ExpectedType.BOOL)
                : allowIf != null ? expression(node, "allowIf", path, name, ExpectedType.BOOL) : null;
        ObligationTemplate obligations = obligations(node.get("obligations"), path + ".obligations", name);
        java.util.List<String> checkFields = new java.util.ArrayList<>(0);
        java.util.List<RuleCheck> checks = checks(node, path, name, checkFields);

        if (problemCount() > before) {
            return null;
        }
        CompiledExpression verdict = obligations == ObligationTemplate.NONE && checks.isEmpty()
                ? verdict(path, text(node, "match", path, name), deny != null ? deny : allowIf, deny != null) : null;
        return new Rule(name, reason, message == null || message.isBlank() ? DEFAULT_MESSAGE : message, mode, onError,
                match, condition, deny != null, obligations, checks, verdict,
                condition == null ? null : denySource(text(node, "match", path, name), deny != null ? deny : allowIf, deny != null),
                deny != null ? deny : allowIf, checkFields);
    }

    /**
     * The rule's condition as one boolean CEL source: {@code match ? deny : false} (or {@code !allowIf}); newlines end
     * any {@code //} comment in the admin's text before our own tokens follow it.
     */
    static String denySource(String match, String condition, boolean denyWhenTrue) {
        String denies = denyWhenTrue ? "(" + condition + "\n)" : "!(" + condition + "\n)";
        return match == null ? denies : "(" + match + "\n) ? " + denies + " : false";
    }

    /**
     * A rule with a match and nothing to do after its condition (no obligations, no checks) is one question: "does
     * it deny?". Asked as one CEL program — {@code match ? deny : false}, or {@code match ? !allowIf : false} — it
     * costs one evaluation instead of two, and the conditional keeps the semantics exactly: the condition is not
     * evaluated when the rule does not match, and an error in either part is still an error. Null when there is no
     * match (one program already) or the combination does not compile (then the two programs are used).
     */
    private CompiledExpression verdict(String path, String match, String condition, boolean denyWhenTrue) {
        if (match == null || condition == null || compiler == null) {
            return null;
        }
        String source = "(" + match + ") ? " + (denyWhenTrue ? "(" + condition + ")" : "!(" + condition + ")") + " : false";
        CelEnvironment.Result result = compiler.compile(path + (denyWhenTrue ? ".match/deny" : ".match/allowIf"), source);
        return result.ok() && ExpectedType.BOOL.accepts(result.expression().type()) ? result.expression() : null;
    }

    /** Compiles the rule's check fields (AuthZEN, budget, ...) in the registry's order; adds each one's path to {@code fields}. */
    private java.util.List<RuleCheck> checks(JsonNode node, String path, String rule, java.util.List<String> fields) {
        java.util.List<RuleCheck> checks = new java.util.ArrayList<>(0);
        for (Map.Entry<String, RuleChecks.Compiler> entry : RuleChecks.BY_FIELD.entrySet()) {
            JsonNode field = node.get(entry.getKey());
            if (field == null || field.isNull()) {
                continue;
            }
            RuleCheck check = entry.getValue().compile(field, new Compilation(path + "." + entry.getKey(), rule));
            if (check != null) {
                checks.add(check);
                fields.add(path + "." + entry.getKey());
            }
        }
        return checks;
    }

    /** The compiler's view for one check field: same CEL environment, same problem list. */
    private final class Compilation implements CheckCompilation {
        private final String path;
        private final String rule;

        Compilation(String path, String rule) {
            this.path = path;
            this.rule = rule;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public String rule() {
            return rule;
        }

        @Override
        public JsonNode policy() {
            return policy;
        }

        @Override
        public CompiledExpression expression(JsonNode parent, String key, ExpectedType expected) {
            return RuleCompiler.this.expression(parent, key, path, rule, expected);
        }

        @Override
        public void problem(String suffix, String message) {
            problems.add(path + suffix, rule, message);
        }

        @Override
        public void rejectUnknown(JsonNode node, Set<String> known) {
            RuleCompiler.this.rejectUnknown(node, known, path, rule);
        }
    }

    private ObligationTemplate obligations(JsonNode node, String path, String rule) {
        if (node == null || node.isNull()) {
            return ObligationTemplate.NONE;
        }
        if (!node.isObject()) {
            problems.add(path, rule, "obligations must be a JSON object");
            return ObligationTemplate.NONE;
        }
        rejectUnknown(node, OBLIGATION_FIELDS, path, rule);
        Map<String, CompiledExpression> claims = new LinkedHashMap<>();
        JsonNode claimsNode = node.get("claims");
        if (claimsNode != null && !claimsNode.isNull()) {
            if (!claimsNode.isObject()) {
                problems.add(path + ".claims", rule, "claims must be an object of claim name to CEL expression");
            } else {
                for (Iterator<String> it = claimsNode.fieldNames(); it.hasNext(); ) {
                    String claim = it.next();
                    if (claim.isBlank()) {
                        problems.add(path + ".claims", rule, "claim names cannot be empty");
                        continue;
                    }
                    CompiledExpression e = expression(claimsNode, claim, path + ".claims", rule, ExpectedType.ANY);
                    if (e != null) {
                        claims.put(claim, e);
                    }
                }
            }
        }
        return new ObligationTemplate(
                expression(node, "keepScopes", path, rule, ExpectedType.STRING_LIST),
                expression(node, "keepAudiences", path, rule, ExpectedType.STRING_LIST),
                expression(node, "keepRoles", path, rule, ExpectedType.STRING_LIST),
                expression(node, "maxAccessTokenLifetime", path, rule, ExpectedType.DURATION),
                expression(node, "refreshToken", path, rule, ExpectedType.BOOL),
                expression(node, "maxRefreshTokenLifetime", path, rule, ExpectedType.DURATION),
                claims,
                expression(node, "decisionIdClaim", path, rule, ExpectedType.BOOL),
                expression(node, "actClaim", path, rule, ExpectedType.BOOL),
                expression(node, "keepAuthorizationDetailTypes", path, rule, ExpectedType.STRING_LIST),
                expression(node, "keepAuthorizationDetailActions", path, rule, ExpectedType.STRING_LIST),
                expression(node, "keepAuthorizationDetailLocations", path, rule, ExpectedType.STRING_LIST));
    }

    /** Compiles the CEL expression at {@code parent[key]}; null when absent or invalid. */
    CompiledExpression expression(JsonNode parent, String key, String path, String rule, ExpectedType expected) {
        String field = path + "." + key;
        String source = text(parent, key, path, rule);
        if (source == null) {
            return null;
        }
        return compileChecked(compiler, problems, field, rule, source, expected);
    }

    static CompiledExpression compileChecked(CelEnvironment.ExpressionCompiler compiler, Problems problems,
                                             String field, String rule, String source, ExpectedType expected) {
        if (source.isBlank()) {
            problems.add(field, rule, "expression is empty");
            return null;
        }
        CelEnvironment.Result result = compiler.compile(field, source);
        if (!result.ok()) {
            problems.addAll(field, rule, result.issues());
            return null;
        }
        if (!expected.accepts(result.expression().type())) {
            problems.add(field, rule, 1, 1, "expression must be " + expected.display() + " but is "
                    + result.expression().type().name());
            return null;
        }
        return result.expression();
    }

    /** A string field's value; records a problem and returns null when present but not a string. */
    private String text(JsonNode node, String key, String path, String rule) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(path + "." + key, rule, "must be a string");
            return null;
        }
        return value.asText();
    }

    private <E extends Enum<E>> E choice(JsonNode node, String key, String path, String rule, Class<E> type, E fallback) {
        String value = text(node, key, path, rule);
        if (value == null) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : " | ").append(constant.name().toLowerCase(Locale.ROOT));
        }
        problems.add(path + "." + key, rule, "must be one of " + allowed + " but was '" + value + "'");
        return fallback;
    }

    void rejectUnknown(JsonNode node, Set<String> known, String path, String rule) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                problems.add(path.isEmpty() ? key : path + "." + key, rule, "unknown field '" + key + "'");
            }
        }
    }

    private int problemCount() {
        return problems.size();
    }
}
