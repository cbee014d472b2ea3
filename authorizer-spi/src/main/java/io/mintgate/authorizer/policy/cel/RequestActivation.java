package io.mintgate.authorizer.policy.cel;

import dev.cel.runtime.CelVariableResolver;
import io.mintgate.authorizer.policy.IssuanceRequest;
import java.util.Optional;

/**
 * The variables one request exposes to CEL. Built once per request and shared by every rule; each context
 * object is wrapped on first use, so rules that only look at the client never touch the subject.
 * Not thread-safe, by design: one request is evaluated on one thread.
 */
public final class RequestActivation implements CelVariableResolver {

    private final IssuanceRequest request;
    private final PolicyVariables.Values variables;
    /** Each variable's value, looked up on first use; indexed by indexOf(name). */
    private final Object[] values = new Object[12];
    /**
     * The answer to {@link #find} per name, built on first use (and the array only when the CEL runtime asks at
     * all: {@link DirectEvaluator} reads {@link #value}); CEL asks for a top-level variable at every reference, so
     * caching the {@code Optional} saves an allocation per reference.
     */
    private Optional<?>[] found;

    public RequestActivation(IssuanceRequest request, PolicyVariables variables) {
        this.request = request;
        this.variables = variables.bind(this);
    }

    public IssuanceRequest request() {
        return request;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Object> find(String name) {
        int index = indexOf(name);
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

    /** The variable's value, or null when there is no such variable (or it is null). */
    Object value(String name) {
        int index = indexOf(name);
        return index < 0 ? null : value(index);
    }

    /** The variable at {@link #indexOf}'s position: the direct evaluator resolves names once, when it plans. */
    Object value(int index) {
        Object value = values[index];
        if (value == null) {
            value = lookup(index);
            values[index] = value;
        }
        return value;
    }

    static int indexOf(String name) {
        return switch (name) {
            case "realm" -> 0;
            case "now" -> 1;
            case "event" -> 2;
            case "grant" -> 3;
            case "client" -> 4;
            case "subject" -> 5;
            case "actor" -> 6;
            case "network" -> 7;
            case "workload" -> 8;
            case "organization" -> 9;
            case "nhi" -> 10;
            case "variables" -> 11;
            default -> -1;
        };
    }

    private Object lookup(int index) {
        return switch (index) {
            case 0 -> request.realm();
            case 1 -> request.time();
            case 2 -> request.event();
            case 3 -> ContextTypes.GRANT.wrap(request.grant());
            case 4 -> ContextTypes.CLIENT.wrap(request.client());
            case 5 -> ContextTypes.SUBJECT.wrap(request.subject());
            case 6 -> ContextTypes.ACTOR.wrap(request.actor());
            case 7 -> ContextTypes.NETWORK.wrap(request.network());
            case 8 -> ContextTypes.WORKLOAD.wrap(request.workload());
            case 9 -> ContextTypes.ORGANIZATION.wrap(request.organization());
            case 10 -> ContextTypes.NHI.wrap(request.nhi());
            default -> variables;
        };
    }
}
