package io.mintgate.authorizer.policy.cel;

import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.StructType;
import dev.cel.common.values.StructValue;
import io.mintgate.authorizer.policy.PolicyEvaluationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The policy's named helper expressions, exposed to rules as the struct {@code variables}. Each variable is
 * evaluated at most once per request, and only if some rule reads it.
 */
public final class PolicyVariables {

    public static final String TYPE_NAME = "mintgate.Variables";
    public static final PolicyVariables NONE = new PolicyVariables(new LinkedHashMap<>());

    private final Map<String, CompiledExpression> expressions;
    /** Each variable's slot in a request's memo array, in declaration order. */
    private final Map<String, Integer> indexes;
    private final CompiledExpression[] byIndex;
    private final StructType type;
    /** Each variable's reads with the variables it reads replaced by theirs: what evaluating it may touch. */
    private final Map<String, Set<String>> expandedReads;

    private PolicyVariables(LinkedHashMap<String, CompiledExpression> expressions) {
        this.expressions = expressions;
        this.expandedReads = new HashMap<>();
        // Declaration order: a variable reads only earlier ones, whose reads are already expanded.
        expressions.forEach((name, expression) -> expandedReads.put(name, expand(expression.reads())));
        this.indexes = new HashMap<>();
        this.byIndex = expressions.values().toArray(new CompiledExpression[0]);
        for (String name : expressions.keySet()) {
            indexes.put(name, indexes.size());
        }
        this.type = structType(expressions);
    }

    public StructType type() {
        return type;
    }

    public List<String> names() {
        return new ArrayList<>(expressions.keySet());
    }

    /** A new set with one more variable; earlier variables are visible to later ones, never the reverse. */
    public PolicyVariables with(String name, CompiledExpression expression) {
        LinkedHashMap<String, CompiledExpression> next = new LinkedHashMap<>(expressions);
        next.put(name, expression);
        return new PolicyVariables(next);
    }

    /**
     * The context facts behind {@code reads}: every {@code variables.x} is replaced by what x reads, transitively;
     * reading {@code variables} whole counts as reading every variable.
     */
    public Set<String> expand(Set<String> reads) {
        Set<String> facts = new TreeSet<>();
        for (String read : reads) {
            if (read.equals("variables")) {
                expandedReads.values().forEach(facts::addAll);
            } else if (read.startsWith("variables.") && expandedReads.containsKey(read.substring("variables.".length()))) {
                facts.addAll(expandedReads.get(read.substring("variables.".length())));
            } else {
                facts.add(read);
            }
        }
        return Set.copyOf(facts);
    }

    Values bind(RequestActivation activation) {
        return new Values(activation);
    }

    private static StructType structType(Map<String, CompiledExpression> expressions) {
        Map<String, CelType> types = new LinkedHashMap<>();
        expressions.forEach((name, expr) -> types.put(name, expr.type()));
        return StructType.create(TYPE_NAME, ImmutableSet.copyOf(types.keySet()),
                field -> Optional.ofNullable(types.get(field)));
    }

    /** The per-request, memoizing view of the variables. */
    public final class Values extends StructValue<String, Object> {

        private final RequestActivation activation;
        private Object[] memo;

        private Values(RequestActivation activation) {
            this.activation = activation;
        }

        @Override
        public Object select(String field) {
            Integer index = indexes.get(field);
            if (index == null) {
                throw new IllegalArgumentException("no such variable '" + field + "'");
            }
            if (memo == null) {
                memo = new Object[byIndex.length];
            }
            Object cached = memo[index];
            if (cached != null) {
                return cached;
            }
            try {
                Object value = byIndex[index].eval(activation);
                memo[index] = value;
                return value;
            } catch (PolicyEvaluationException e) {
                throw new IllegalStateException("variable '" + field + "' failed: " + e.getMessage(), e);
            }
        }

        @Override
        public Optional<?> find(String field) {
            return expressions.containsKey(field) ? Optional.of(select(field)) : Optional.empty();
        }

        @Override
        public Object value() {
            return this;
        }

        @Override
        public boolean isZeroValue() {
            return expressions.isEmpty();
        }

        @Override
        public CelType celType() {
            return type;
        }
    }
}
