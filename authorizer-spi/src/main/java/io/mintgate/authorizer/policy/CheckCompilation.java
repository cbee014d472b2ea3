package io.mintgate.authorizer.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.authorizer.policy.cel.CompiledExpression;

/** What a {@link RuleChecks.Compiler} gets to validate and compile its rule field, with the same error reporting. */
public interface CheckCompilation {

    /** JSON path of the field being compiled, e.g. {@code rules[3].budget}. */
    String path();

    /** Name of the rule, or null when it has none (then a problem was already recorded). */
    String rule();

    /** The whole policy document, for top-level sections such as the PDPs a rule names. */
    JsonNode policy();

    /** Compiles the CEL expression at {@code parent[key]} (path {@code path() + "." + key}); null when absent or invalid. */
    CompiledExpression expression(JsonNode parent, String key, ExpectedType expected);

    /** Records a problem at {@code path() + suffix} (suffix like {@code ".window"}, or empty). */
    void problem(String suffix, String message);

    /** Rejects fields of {@code node} not in {@code known}, naming each. */
    void rejectUnknown(JsonNode node, java.util.Set<String> known);
}
