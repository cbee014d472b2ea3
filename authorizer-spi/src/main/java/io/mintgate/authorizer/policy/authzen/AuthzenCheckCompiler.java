package io.mintgate.authorizer.policy.authzen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.authorizer.policy.CheckCompilation;
import io.mintgate.authorizer.policy.ExpectedType;
import io.mintgate.authorizer.policy.RuleCheck;
import io.mintgate.authorizer.policy.cel.CompiledExpression;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Compiles a rule's {@code authzen} field (docs/policy-reference.md, "External PDP (AuthZEN)") when the policy is
 * saved: the PDP it names must be declared under {@code pdps}, and every mapped value is a type-checked CEL
 * expression, so nothing is parsed at token time.
 */
public final class AuthzenCheckCompiler {

    static final String DEFAULT_MESSAGE = "The token request was refused by policy.";
    private static final Set<String> FIELDS = Set.of("pdp", "subject", "action", "resource", "context", "per");
    private static final Set<String> SUBJECT_FIELDS = Set.of("type", "id", "properties");
    private static final Set<String> ACTION_FIELDS = Set.of("name", "properties");
    private static final Set<String> RESOURCE_FIELDS = Set.of("type", "id", "properties");

    private AuthzenCheckCompiler() {
    }

    /** {@link io.mintgate.authorizer.policy.RuleChecks.Compiler} for the {@code authzen} rule field. */
    public static RuleCheck compile(JsonNode field, CheckCompilation compilation) {
        if (!field.isObject()) {
            compilation.problem("", "must be an object with 'pdp', 'subject', 'action', 'resource'");
            return null;
        }
        compilation.rejectUnknown(field, FIELDS);
        Problems problems = new Problems(compilation);

        AuthzenCheck.Per per = per(field.get("per"), problems);
        PdpConfig pdp = null;
        JsonNode pdpName = field.get("pdp");
        if (pdpName == null || !pdpName.isTextual() || pdpName.asText().isBlank()) {
            problems.add(".pdp", "is required: the name of a PDP declared under the top-level 'pdps'");
        } else {
            pdp = PdpDeclarations.read(compilation.policy(), pdpName.asText(),
                    (path, message) -> problems.add(".pdp", path + ": " + message));
        }
        if (pdp != null && pdp.tokenIssuance()) {
            return profileCheck(field, pdp, compilation, problems);
        }
        JsonTemplate subject = object(field, "subject", SUBJECT_FIELDS, Set.of("type", "id"), compilation, problems);
        JsonTemplate action = object(field, "action", ACTION_FIELDS,
                per == AuthzenCheck.Per.SCOPE ? Set.of() : Set.of("name"), compilation, problems);
        JsonTemplate resource = object(field, "resource", RESOURCE_FIELDS,
                per == AuthzenCheck.Per.AUDIENCE ? Set.of("type") : Set.of("type", "id"), compilation, problems);
        JsonTemplate context = properties(field, "context", "context", compilation, problems);
        RuleCheck.CheckDenial denial = ruleDenial(compilation);

        if (problems.count > 0 || pdp == null || denial == null) {
            return null;
        }
        return new AuthzenCheck(pdp, subject, action, resource, context, per, denial);
    }

    /**
     * A rule that names a token issuance profile PDP maps nothing itself: the profile fixes the request (Section 5).
     * It must fail closed (Section 11.1), so its {@code onError} cannot be {@code allow}.
     */
    private static RuleCheck profileCheck(JsonNode field, PdpConfig pdp, CheckCompilation compilation, Problems problems) {
        for (String mapped : List.of("subject", "action", "resource", "context", "per")) {
            if (field.has(mapped)) {
                problems.add("." + mapped, "is not allowed: PDP '" + pdp.name() + "' has \"profile\": \"token-issuance\","
                        + " whose evaluations Mintgate forms as the profile says (write only \"pdp\")");
            }
        }
        JsonNode rule = ruleNode(compilation);
        if (rule != null && "allow".equals(rule.path("onError").asText(""))) {
            problems.add("", "PDP '" + pdp.name() + "' has \"profile\": \"token-issuance\", which must fail closed: "
                    + "the rule's onError must be deny (token issuance profile, Section 11.1)");
        }
        RuleCheck.CheckDenial denial = ruleDenial(compilation);
        if (problems.count > 0 || denial == null) {
            return null;
        }
        return new IssuanceProfileCheck(pdp, denial);
    }

    private static JsonNode ruleNode(CheckCompilation compilation) {
        if (compilation.rule() == null || compilation.policy() == null) {
            return null;
        }
        for (JsonNode rule : compilation.policy().path("rules")) {
            if (compilation.rule().equals(rule.path("name").asText(null))) {
                return rule;
            }
        }
        return null;
    }

    private static AuthzenCheck.Per per(JsonNode node, Problems problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            switch (node.asText()) {
                case "scope":
                    return AuthzenCheck.Per.SCOPE;
                case "audience":
                    return AuthzenCheck.Per.AUDIENCE;
                default:
                    break;
            }
        }
        problems.add(".per", "must be one of scope | audience but was " + node);
        return null;
    }

    /** An AuthZEN entity: its string members (CEL → string) plus optional {@code properties} (CEL → any). */
    private static JsonTemplate object(JsonNode parent, String key, Set<String> known, Set<String> required,
                                       CheckCompilation compilation, Problems problems) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            if (!required.isEmpty()) {
                problems.add("." + key, "is required, with " + String.join(" and ", required));
            }
            return JsonTemplate.EMPTY;
        }
        if (!node.isObject()) {
            problems.add("." + key, "must be an object");
            return JsonTemplate.EMPTY;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                problems.add("." + key + "." + name, "unknown field '" + name + "'");
            }
        }
        List<JsonTemplate.Member> members = new ArrayList<>();
        for (String name : known) {
            if ("properties".equals(name)) {
                continue;
            }
            if (!node.has(name)) {
                if (required.contains(name)) {
                    problems.add("." + key + "." + name, "is required (a CEL expression of type string, e.g. \"'api'\")");
                }
                continue;
            }
            CompiledExpression expression = expression(node, name, key + "." + name, ExpectedType.STRING, compilation, problems);
            if (expression != null) {
                members.add(new JsonTemplate.Member(name, expression, null, true));
            }
        }
        // Fixed member order (type, id, name, then properties) whatever the document's order: stable cache keys.
        members.sort(java.util.Comparator.comparingInt(m -> List.of("type", "id", "name").indexOf(m.name())));
        JsonTemplate properties = properties(node, "properties", key + ".properties", compilation, problems);
        if (!properties.isEmpty()) {
            members.add(new JsonTemplate.Member("properties", null, properties, false));
        }
        return new JsonTemplate(members);
    }

    /** An object of name → CEL expression of any type (AuthZEN {@code properties} and {@code context}). */
    private static JsonTemplate properties(JsonNode parent, String key, String path, CheckCompilation compilation,
                                           Problems problems) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return JsonTemplate.EMPTY;
        }
        if (!node.isObject()) {
            problems.add("." + path, "must be an object of name to CEL expression");
            return JsonTemplate.EMPTY;
        }
        List<JsonTemplate.Member> members = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.isBlank()) {
                problems.add("." + path, "names cannot be empty");
                continue;
            }
            CompiledExpression expression = expression(node, name, path + "." + name, ExpectedType.ANY, compilation, problems);
            if (expression != null) {
                members.add(new JsonTemplate.Member(name, expression, null, false));
            }
        }
        return new JsonTemplate(members);
    }

    /**
     * Compiles {@code node[name]} so that problems name the full path ({@code rules[i].authzen.subject.id}): the
     * compilation reports {@code path() + "." + key}, so the expression is handed over under its dotted path.
     */
    private static CompiledExpression expression(JsonNode node, String name, String dottedPath, ExpectedType expected,
                                                 CheckCompilation compilation, Problems problems) {
        JsonNode value = node.get(name);
        if (!value.isTextual()) {
            problems.add("." + dottedPath, "must be a string holding a CEL expression (quote literals: \"'api'\")");
            return null;
        }
        ObjectNode holder = JsonNodeFactory.instance.objectNode();
        holder.set(dottedPath, value);
        CompiledExpression expression = compilation.expression(holder, dottedPath, expected);
        if (expression == null) {
            problems.count++; // recorded by the compilation
        }
        return expression;
    }

    /** The denial the rule reports: its own reason and message (rule names are unique in a policy). */
    private static RuleCheck.CheckDenial ruleDenial(CheckCompilation compilation) {
        if (compilation.rule() == null || compilation.policy() == null) {
            return null;
        }
        for (JsonNode rule : compilation.policy().path("rules")) {
            if (compilation.rule().equals(rule.path("name").asText(null))) {
                String reason = rule.path("reason").asText(null);
                String message = rule.path("message").asText("");
                return reason == null ? null
                        : new RuleCheck.CheckDenial(reason, message.isBlank() ? DEFAULT_MESSAGE : message);
            }
        }
        return null;
    }

    /** Problems recorded through the compilation, counted so the check is dropped when there is any. */
    private static final class Problems {
        private final CheckCompilation compilation;
        private int count;

        Problems(CheckCompilation compilation) {
            this.compilation = compilation;
        }

        void add(String suffix, String message) {
            count++;
            compilation.problem(suffix, message);
        }
    }
}
