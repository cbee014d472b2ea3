package io.mintgate.authorizer.policy.cel;

import dev.cel.runtime.CelVariableResolver;
import io.mintgate.authorizer.policy.IssuanceRequest;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The variables one request exposes to CEL, as {@link ContextVariables} declares them. Built once per request and
 * shared by every rule; each context object is wrapped on first use, so rules that only look at the client never
 * touch the subject. Not thread-safe, by design: one request is evaluated on one thread.
 */
public final class RequestActivation implements CelVariableResolver {

    /**
     * The standard table's {@link ContextVariables#reader} and size as constants: the JIT inlines the reader's cases,
     * and a request reads nothing of the table itself (on a busy token endpoint every object touched is a cache miss).
     */
    private static final MethodHandle STANDARD_READER = ContextVariables.STANDARD.reader();
    private static final int STANDARD_SIZE = ContextVariables.STANDARD.size();

    private final IssuanceRequest request;
    private final ContextVariables context;
    private final PolicyVariables.Values variables;
    /** Each variable's value, looked up on first use; indexed by {@link ContextVariables#indexOf}. */
    private final Object[] values;
    /**
     * The answer to {@link #find} per name, built on first use (and the array only when the CEL runtime asks at
     * all: {@link DirectEvaluator} reads {@link #value}); CEL asks for a top-level variable at every reference, so
     * caching the {@code Optional} saves an allocation per reference.
     */
    private Optional<?>[] found;

    public RequestActivation(IssuanceRequest request, PolicyVariables variables) {
        this(request, variables, ContextVariables.STANDARD, STANDARD_SIZE);
    }

    /** Over another table than the standard one; expressions evaluated here must be compiled with the same table. */
    RequestActivation(IssuanceRequest request, PolicyVariables variables, ContextVariables context) {
        this(request, variables, context, context.size());
    }

    private RequestActivation(IssuanceRequest request, PolicyVariables variables, ContextVariables context, int size) {
        this.request = request;
        this.context = context;
        this.values = new Object[size];
        this.variables = variables.bind(this);
    }

    public IssuanceRequest request() {
        return request;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Object> find(String name) {
        int index = context.indexOf(name);
        if (index < 0) {
            return Optional.empty();
        }
        if (found == null) {
            found = new Optional<?>[values.length];
        }
        Optional<?> cached = found[index];
        if (cached == null) {
            cached = Optional.ofNullable(value(index));
            found[index] = cached;
        }
        return (Optional<Object>) cached;
    }

    /** The variable at {@link ContextVariables#indexOf}'s position: the direct evaluator resolves names when it plans. */
    Object value(int index) {
        Object value = values[index];
        if (value == null) {
            // The last position is the policy's variables (ContextVariables#size), the others the request's.
            value = index == values.length - 1 ? variables : read(index);
            values[index] = value;
        }
        return value;
    }

    private Object read(int index) {
        if (context != ContextVariables.STANDARD) {
            return context.read(index, request);
        }
        try {
            return (Object) STANDARD_READER.invokeExact(index, request);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e); // a source is a Function: it throws nothing checked
        }
    }
}
