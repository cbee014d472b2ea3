package io.mintgate.authorizer.policy.cel;

import dev.cel.common.types.CelType;
import io.mintgate.authorizer.policy.IssuanceRequest;
import java.util.function.Function;

/**
 * One context variable as policies see it: its name, its declared CEL type, and where its value comes from in the
 * {@link IssuanceRequest}. {@link ContextVariables} holds them all; nothing else declares a context variable.
 */
public sealed interface ContextVariable {

    /** The identifier a policy writes, e.g. {@code realm}. */
    String name();

    /** The type the checker knows it by when a policy is saved. */
    CelType type();

    /** A variable whose value the request already holds as a CEL value (string, timestamp, bool, int). */
    static ContextVariable value(String name, CelType type, Function<IssuanceRequest, ?> source) {
        return new Value(name, type, source);
    }

    /**
     * A variable whose value is one of the request's records, exposed as the struct {@code shape}: wrapped, not
     * converted, so a field is read only when a rule selects it (see {@link ContextStruct}).
     */
    static <T> ContextVariable struct(String name, ContextType<T> shape, Function<IssuanceRequest, T> source) {
        return new Struct<>(name, shape, source);
    }

    record Value(String name, CelType type, Function<IssuanceRequest, ?> source) implements ContextVariable {
    }

    record Struct<T>(String name, ContextType<T> shape, Function<IssuanceRequest, T> source) implements ContextVariable {
        @Override
        public CelType type() {
            return shape.celType();
        }
    }
}
