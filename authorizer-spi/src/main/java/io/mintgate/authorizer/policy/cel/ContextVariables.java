package io.mintgate.authorizer.policy.cel;

import static io.mintgate.authorizer.policy.cel.ContextVariable.struct;
import static io.mintgate.authorizer.policy.cel.ContextVariable.value;

import dev.cel.common.types.SimpleType;
import io.mintgate.authorizer.policy.IssuanceRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;

/**
 * The context variables every policy may read, in one table. The CEL environment declares them
 * ({@link CelEnvironment}), a request's activation looks them up ({@link RequestActivation}) and a compiled
 * expression's reads name them ({@link ContextReads}), each derived from the table, so the three cannot disagree.
 * docs/policy-reference.md ("Context", "Variables") lists them in this order; ContextVariablesTest checks it does.
 */
public final class ContextVariables {

    /**
     * The policy's own named expressions, a context variable too, but not read from the request and typed per
     * policy (see {@link PolicyVariables}); it takes the position after the table's variables.
     */
    public static final String POLICY_VARIABLES = "variables";

    /** The table. A new context variable is one entry here plus its value's source in {@link IssuanceRequest}. */
    public static final ContextVariables STANDARD = new ContextVariables(List.of(
            value("realm", SimpleType.STRING, IssuanceRequest::realm),
            value("now", SimpleType.TIMESTAMP, IssuanceRequest::time),
            value("event", SimpleType.STRING, IssuanceRequest::event),
            struct("grant", ContextTypes.GRANT, IssuanceRequest::grant),
            struct("client", ContextTypes.CLIENT, IssuanceRequest::client),
            struct("subject", ContextTypes.SUBJECT, IssuanceRequest::subject),
            struct("actor", ContextTypes.ACTOR, IssuanceRequest::actor),
            struct("network", ContextTypes.NETWORK, IssuanceRequest::network),
            struct("workload", ContextTypes.WORKLOAD, IssuanceRequest::workload),
            struct("organization", ContextTypes.ORGANIZATION, IssuanceRequest::organization),
            struct("nhi", ContextTypes.NHI, IssuanceRequest::nhi)));

    private final List<ContextVariable> variables;
    private final ContextVariable[] byIndex;
    /**
     * Name to position, computed once: CEL's runtime asks for a variable by name at every reference, and the
     * direct evaluator resolves each name to its position when it plans, so a request never searches the table.
     */
    private final HashMap<String, Integer> indexes = new HashMap<>();
    private final Set<String> names;
    private final List<ContextType<?>> shapes;

    private ContextVariables(List<ContextVariable> variables) {
        this.variables = List.copyOf(variables);
        this.byIndex = this.variables.toArray(new ContextVariable[0]);
        List<ContextType<?>> structs = new ArrayList<>();
        for (ContextVariable variable : byIndex) {
            if (variable.name().equals(POLICY_VARIABLES) || indexes.containsKey(variable.name())) {
                throw new IllegalArgumentException("context variable '" + variable.name() + "' is declared twice");
            }
            indexes.put(variable.name(), indexes.size());
            if (variable instanceof ContextVariable.Struct<?> s && !structs.contains(s.shape())) {
                structs.add(s.shape());
            }
        }
        indexes.put(POLICY_VARIABLES, byIndex.length);
        this.names = Set.copyOf(indexes.keySet());
        this.shapes = List.copyOf(structs);
    }

    /** This table and one more variable: how a test shows what adding a variable takes. */
    ContextVariables with(ContextVariable variable) {
        List<ContextVariable> next = new ArrayList<>(variables);
        next.add(variable);
        return new ContextVariables(next);
    }

    /** The variables read from the request, in the table's order ({@link #POLICY_VARIABLES} not included). */
    public List<ContextVariable> variables() {
        return variables;
    }

    /** Every identifier the CEL environment declares: the table's names and {@link #POLICY_VARIABLES}. */
    public Set<String> names() {
        return names;
    }

    /** The struct types the table's variables are exposed as, for the checker's and runtime's type provider. */
    List<ContextType<?>> shapes() {
        return shapes;
    }

    /** The context type whose CEL struct type has this name, or null. */
    ContextType<?> shape(String celTypeName) {
        for (ContextType<?> shape : shapes) {
            if (shape.celType().name().equals(celTypeName)) {
                return shape;
            }
        }
        return null;
    }

    /** The variable's position in a request's activation, or -1 when there is no such variable. */
    int indexOf(String name) {
        Integer index = indexes.get(name);
        return index == null ? -1 : index;
    }

    /** How many positions an activation has: the table's variables, then {@link #POLICY_VARIABLES}. */
    int size() {
        return byIndex.length + 1;
    }

    /** True at {@link #POLICY_VARIABLES}'s position, whose value is the policy's, not the request's. */
    boolean isPolicyVariables(int index) {
        return index == byIndex.length;
    }

    /** The value of the variable at {@code index} (not {@link #POLICY_VARIABLES}) in {@code request}. */
    Object read(int index, IssuanceRequest request) {
        return byIndex[index].read(request);
    }
}
