package io.mintgate.authorizer.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.authorizer.policy.cel.CelEnvironment;
import io.mintgate.authorizer.policy.cel.CompiledExpression;
import io.mintgate.authorizer.policy.cel.PolicyVariables;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns policy text into an executable {@link PolicySet}. Everything is validated and type-checked here, once,
 * so that evaluation never parses and a policy that saves cleanly cannot fail for structural reasons.
 */
public final class PolicyCompiler {

    private static final Set<String> TOP_LEVEL_FIELDS;

    static {
        Set<String> fields = new HashSet<>(Set.of("variables", "rules", "tests"));
        fields.addAll(RuleChecks.TOP_LEVEL_FIELDS);
        TOP_LEVEL_FIELDS = Set.copyOf(fields);
    }
    private static final Set<String> VARIABLE_FIELDS = Set.of("name", "expression");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private PolicyCompiler() {
    }

    /** @throws PolicyValidationException listing every problem found in {@code source} */
    public static PolicySet compile(String source) throws PolicyValidationException {
        return compile(source, true);
    }

    /**
     * As {@link #compile(String)}; {@code fastPaths} false gives the reference evaluation that tests compare with:
     * every rule on its own ({@link RuleGroup}) and every expression on the CEL runtime ({@code DirectEvaluator}).
     */
    static PolicySet compile(String source, boolean fastPaths) throws PolicyValidationException {
        Problems problems = new Problems();
        JsonNode root = PolicyDocumentReader.read(source == null ? "" : source, problems);
        problems.throwIfAny();
        if (!root.isObject()) {
            problems.add("", null, "the policy must be a JSON object with 'variables' and 'rules'");
            problems.throwIfAny();
        }
        new RuleCompiler(null, problems).rejectUnknown(root, TOP_LEVEL_FIELDS, "", null);

        PolicyVariables variables = variables(root.get("variables"), problems, fastPaths);
        CelEnvironment.ExpressionCompiler compiler = fastPaths ? CelEnvironment.compiler(variables)
                : CelEnvironment.compiler(variables, false);
        RuleCompiler rules = new RuleCompiler(compiler, problems, root);
        List<Rule> compiled = new ArrayList<>();
        JsonNode rulesNode = root.get("rules");
        if (rulesNode != null && !rulesNode.isNull() && !rulesNode.isArray()) {
            problems.add("rules", null, "rules must be a JSON array");
        } else if (rulesNode != null && rulesNode.isArray()) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < rulesNode.size(); i++) {
                String path = "rules[" + i + "]";
                JsonNode name = rulesNode.get(i).get("name");
                if (name != null && name.isTextual() && !names.add(name.asText())) {
                    problems.add(path + ".name", name.asText(), "duplicate rule name '" + name.asText() + "'");
                }
                Rule rule = rules.compile(rulesNode.get(i), path);
                if (rule != null) {
                    compiled.add(rule);
                }
            }
        }
        problems.throwIfAny();
        return new PolicySet(version(source), variables, compiled, RuleGroup.plan(compiled, fastPaths ? compiler : null));
    }

    /** Compiles one boolean expression (no policy variables) for use outside a policy document. */
    public static CompiledPredicate compilePredicate(String field, String expression) throws PolicyValidationException {
        Problems problems = new Problems();
        CompiledExpression compiled = RuleCompiler.compileChecked(CelEnvironment.compiler(PolicyVariables.NONE),
                problems, field, null, expression == null ? "" : expression, ExpectedType.BOOL);
        problems.throwIfAny();
        return new CompiledPredicate(compiled);
    }

    private static PolicyVariables variables(JsonNode node, Problems problems, boolean fastPaths) {
        PolicyVariables variables = PolicyVariables.NONE;
        if (node == null || node.isNull()) {
            return variables;
        }
        if (!node.isArray()) {
            problems.add("variables", null, "variables must be a JSON array");
            return variables;
        }
        for (int i = 0; i < node.size(); i++) {
            String path = "variables[" + i + "]";
            JsonNode entry = node.get(i);
            if (!entry.isObject()) {
                problems.add(path, null, "a variable must be a JSON object with 'name' and 'expression'");
                continue;
            }
            new RuleCompiler(null, problems).rejectUnknown(entry, VARIABLE_FIELDS, path, null);
            JsonNode name = entry.get("name");
            JsonNode expression = entry.get("expression");
            if (name == null || !name.isTextual() || !IDENTIFIER.matcher(name.asText()).matches()) {
                problems.add(path + ".name", null, "a variable needs a name matching [A-Za-z_][A-Za-z0-9_]*");
                continue;
            }
            if (variables.names().contains(name.asText())) {
                problems.add(path + ".name", null, "duplicate variable name '" + name.asText() + "'");
                continue;
            }
            if (expression == null || !expression.isTextual()) {
                problems.add(path + ".expression", null, "a variable needs an expression (a string)");
                continue;
            }
            // Each variable sees only the ones declared before it, which also rules out cycles.
            CompiledExpression compiled = RuleCompiler.compileChecked(
                    fastPaths ? CelEnvironment.compiler(variables) : CelEnvironment.compiler(variables, false), problems,
                    path + ".expression", null, expression.asText(), ExpectedType.ANY);
            if (compiled != null) {
                variables = variables.with(name.asText(), compiled);
            }
        }
        return variables;
    }

    private static String version(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
