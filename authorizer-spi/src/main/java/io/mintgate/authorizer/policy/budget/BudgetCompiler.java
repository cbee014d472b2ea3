package io.mintgate.authorizer.policy.budget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.authorizer.policy.CheckCompilation;
import io.mintgate.authorizer.policy.ExpectedType;
import io.mintgate.authorizer.policy.RuleCheck;
import io.mintgate.authorizer.policy.RuleChecks;
import io.mintgate.authorizer.policy.cel.CompiledExpression;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/** Compiles a rule's {@code budget} field: {@code {"key": <CEL string | client | owner | organization>, "limit", "window"}}. */
public final class BudgetCompiler implements RuleChecks.Compiler {

    /** Named keys for the common cases; a CEL expression of type string covers the rest. */
    static final Map<String, String> NAMED_KEYS = Map.of(
            "client", "client.clientId",
            "owner", "nhi.owner",
            "organization", "organization.alias");

    private static final Set<String> FIELDS = Set.of("key", "limit", "window");

    @Override
    public RuleCheck compile(JsonNode field, CheckCompilation compilation) {
        if (!field.isObject()) {
            compilation.problem("", "budget must be an object with key, limit and window");
            return null;
        }
        compilation.rejectUnknown(field, FIELDS);
        CompiledExpression key = key(field, compilation);
        long limit = limit(field.get("limit"), compilation);
        BudgetWindow window = window(field.get("window"), compilation);
        if (key == null || limit < 1 || window == null || compilation.rule() == null) {
            return null;
        }
        return new IssuanceBudget(compilation.rule(), key, limit, window);
    }

    private static CompiledExpression key(JsonNode field, CheckCompilation compilation) {
        JsonNode key = field.get("key");
        if (key == null || key.isNull()) {
            compilation.problem(".key", "key is required: client, owner, organization or a CEL expression of type string");
            return null;
        }
        String named = key.isTextual() ? NAMED_KEYS.get(key.asText()) : null;
        if (named != null) {
            ObjectNode expanded = JsonNodeFactory.instance.objectNode().put("key", named);
            return compilation.expression(expanded, "key", ExpectedType.STRING);
        }
        return compilation.expression(field, "key", ExpectedType.STRING);
    }

    /** The limit, or 0 after recording a problem. */
    private static long limit(JsonNode limit, CheckCompilation compilation) {
        if (limit == null || limit.isNull()) {
            compilation.problem(".limit", "limit is required: the number of tokens per window");
            return 0;
        }
        if (!limit.isIntegralNumber() || !limit.canConvertToLong() || limit.asLong() < 1) {
            compilation.problem(".limit", "limit must be a whole number of at least 1 but was " + limit);
            return 0;
        }
        return limit.asLong();
    }

    private static BudgetWindow window(JsonNode window, CheckCompilation compilation) {
        if (window == null || window.isNull()) {
            compilation.problem(".window", "window is required: an ISO-8601 duration such as PT1H");
            return null;
        }
        if (!window.isTextual()) {
            compilation.problem(".window", "window must be an ISO-8601 duration string such as PT1H");
            return null;
        }
        try {
            return new BudgetWindow(Duration.parse(window.asText()));
        } catch (DateTimeParseException e) {
            compilation.problem(".window", "window must be an ISO-8601 duration such as PT1H but was '" + window.asText() + "'");
        } catch (IllegalArgumentException e) {
            compilation.problem(".window", e.getMessage() + " but was '" + window.asText() + "'");
        }
        return null;
    }
}
