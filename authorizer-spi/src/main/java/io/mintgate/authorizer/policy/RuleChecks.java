package io.mintgate.authorizer.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The rule fields that compile to a {@link RuleCheck}, and the top-level policy fields they need. Adding a kind of
 * check is one entry here; the rule compiler and engine stay unchanged.
 */
public final class RuleChecks {

    /** Compiles one rule field (its JSON value) into a check; records problems through {@code compilation}. */
    @FunctionalInterface
    public interface Compiler {
        /** @return the check, or null when the field has problems (which were recorded) */
        RuleCheck compile(JsonNode field, CheckCompilation compilation);
    }

    /** Rule field name → compiler, in evaluation order when a rule has several. */
    static final Map<String, Compiler> BY_FIELD;
    /** Top-level policy fields owned by checks (e.g. the PDPs a rule may name). */
    static final Set<String> TOP_LEVEL_FIELDS;

    static {
        Map<String, Compiler> byField = new LinkedHashMap<>();
        byField.put("authzen", io.mintgate.authorizer.policy.authzen.AuthzenCheckCompiler::compile); // AuthZEN PDP delegation
        byField.put("budget", new io.mintgate.authorizer.policy.budget.BudgetCompiler()); // issuance budgets
        BY_FIELD = java.util.Collections.unmodifiableMap(byField);
        TOP_LEVEL_FIELDS = Set.of("pdps"); // the PDPs authzen rules name
    }

    private RuleChecks() {
    }
}
