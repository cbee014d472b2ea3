package io.mintgate.authorizer.policy.cel;

import dev.cel.common.types.CelType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.Program;
import io.mintgate.authorizer.policy.PolicyEvaluationException;

/** One checked CEL expression and its planned program; immutable and safe to evaluate concurrently. */
public final class CompiledExpression {

    private final String field;
    private final CelType type;
    private final Program program;

    CompiledExpression(String field, CelType type, Program program) {
        this.field = field;
        this.type = type;
        this.program = program;
    }

    public String field() {
        return field;
    }

    public CelType type() {
        return type;
    }

    /** @throws PolicyEvaluationException on any evaluation failure, naming the field that failed */
    public Object eval(RequestActivation activation) {
        try {
            return program.eval(activation);
        } catch (CelEvaluationException e) {
            throw new PolicyEvaluationException(field + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Custom functions and lazy variables report failures as runtime exceptions.
            throw new PolicyEvaluationException(field + ": " + e.getMessage(), e);
        }
    }

    public boolean evalBool(RequestActivation activation) {
        Object value = eval(activation);
        if (value instanceof Boolean b) {
            return b;
        }
        throw new PolicyEvaluationException(field + ": expected bool but got " + describe(value), null);
    }

    static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
