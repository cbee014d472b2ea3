package io.mintgate.authorizer.policy.cel;

import static io.mintgate.authorizer.policy.cel.ContextVariable.struct;
import static io.mintgate.authorizer.policy.cel.ContextVariable.value;

import dev.cel.common.types.SimpleType;
import io.mintgate.authorizer.policy.IssuanceRequest;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

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
    /** Each variable's source and, for a struct, its shape, by position (see {@link #read} and {@link #reader}). */
    private final Function<IssuanceRequest, ?>[] sources;
    private final ContextType<?>[] shapesByIndex;
    /**
     * Name to position, computed once: CEL's runtime asks for a variable by name at every reference, and the
     * direct evaluator resolves each name to its position when it plans, so a request never searches the table.
     */
    private final NameIndex indexes;
    private final Set<String> names;
    private final List<ContextType<?>> shapes;

    @SuppressWarnings("unchecked")
    private ContextVariables(List<ContextVariable> variables) {
        this.variables = List.copyOf(variables);
        int count = this.variables.size();
        this.sources = new Function[count];
        this.shapesByIndex = new ContextType<?>[count];
        List<String> positions = new ArrayList<>();
        List<ContextType<?>> structs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ContextVariable variable = this.variables.get(i);
            positions.add(variable.name());
            if (variable instanceof ContextVariable.Struct<?> s) {
                sources[i] = s.source();
                shapesByIndex[i] = s.shape();
                if (!structs.contains(s.shape())) {
                    structs.add(s.shape());
                }
            } else {
                sources[i] = ((ContextVariable.Value) variable).source();
            }
        }
        positions.add(POLICY_VARIABLES);
        this.indexes = new NameIndex(positions);
        this.names = Set.copyOf(positions);
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
        return indexes.positionOf(name);
    }

    /** How many positions an activation has: the table's variables, then {@link #POLICY_VARIABLES}. */
    int size() {
        return sources.length + 1;
    }

    /**
     * {@link #read} as one method handle, {@code (int index, IssuanceRequest request) -> Object}: a switch on the
     * index whose every case calls one variable's source. Held in a constant (see {@link RequestActivation}), the
     * JIT inlines each source into its case, as it did with the hand-written switch this table replaces; through
     * {@link #read}, every variable's first read in a request is one shared, megamorphic call (~5 ns each).
     */
    MethodHandle reader() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle apply = lookup.findVirtual(Function.class, "apply", MethodType.methodType(Object.class, Object.class));
            MethodHandle wrap = lookup.findVirtual(ContextType.class, "wrap",
                    MethodType.methodType(ContextStruct.class, Object.class));
            MethodType caseType = MethodType.methodType(Object.class, IssuanceRequest.class);
            MethodHandle[] cases = new MethodHandle[sources.length];
            for (int i = 0; i < cases.length; i++) {
                MethodHandle read = apply.bindTo(sources[i]);
                if (shapesByIndex[i] != null) {
                    read = MethodHandles.filterReturnValue(read, wrap.bindTo(shapesByIndex[i]));
                }
                cases[i] = MethodHandles.dropArguments(read.asType(caseType), 0, int.class);
            }
            MethodHandle outside = MethodHandles.dropArguments(MethodHandles.constant(Object.class, null), 0, int.class,
                    IssuanceRequest.class);
            return MethodHandles.tableSwitch(outside, cases);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of the variable at {@code index} (not {@link #POLICY_VARIABLES}) in {@code request}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object read(int index, IssuanceRequest request) {
        Object value = sources[index].apply(request);
        ContextType shape = shapesByIndex[index];
        return shape == null ? value : shape.wrap(value);
    }
}
