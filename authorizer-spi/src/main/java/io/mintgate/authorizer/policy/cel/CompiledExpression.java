package io.mintgate.authorizer.policy.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelExpr.ExprKind.Kind;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.CelType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.Program;
import io.mintgate.authorizer.policy.PolicyEvaluationException;
import java.util.Map;

/** One checked CEL expression and its planned program; immutable and safe to evaluate concurrently. */
public final class CompiledExpression {

    /** Marks an expression whose value depends on the request. */
    private static final Object NOT_CONSTANT = new Object();

    private final String field;
    private final CelType type;
    private final Program program;
    private final Object constant;
    private final java.util.Set<String> reads;
    /** Answers error-free evaluations of common expressions without the CEL runtime; null when not applicable. */
    private final DirectEvaluator direct;

    /**
     * {@code -Dmintgate.policy.directEvaluation=false} turns {@link DirectEvaluator} off (every expression then runs
     * on the CEL runtime only): for measurements, or to rule it out when investigating a decision.
     */
    static final boolean DIRECT_EVALUATION =
            !"false".equalsIgnoreCase(System.getProperty("mintgate.policy.directEvaluation", "true"));

    private CompiledExpression(String field, CelType type, Program program, Object constant, java.util.Set<String> reads,
                               DirectEvaluator direct) {
        this.field = field;
        this.type = type;
        this.program = program;
        this.constant = constant;
        this.reads = reads;
        this.direct = direct;
    }

    static CompiledExpression of(String field, CelAbstractSyntaxTree ast, Program program, boolean direct,
                                 ContextVariables context) {
        Object constant = constantValue(ast, program);
        return new CompiledExpression(field, ast.getResultType(), program, constant, ContextReads.of(ast, context),
                constant == NOT_CONSTANT && direct ? DirectEvaluator.of(ast, context) : null);
    }

    /** True when {@link DirectEvaluator} may answer for this expression (tests). */
    boolean direct() {
        return direct != null;
    }

    /** The CEL runtime's answer alone, without {@link DirectEvaluator} (tests compare the two). */
    Object evalWithCel(RequestActivation activation) {
        try {
            return program.eval(activation);
        } catch (CelEvaluationException | RuntimeException e) {
            throw new PolicyEvaluationException(field + ": " + e.getMessage(), e);
        }
    }

    /** {@link DirectEvaluator}'s answer alone, or {@link DirectEvaluator#UNDECIDED} (tests compare the two). */
    Object evalDirect(RequestActivation activation) {
        return direct == null ? DirectEvaluator.UNDECIDED : direct.evaluate(activation);
    }

    /**
     * An expression that reads no identifier at all ({@code duration('10m')}, {@code true}, {@code ['read']})
     * gives the same value for every request, since CEL functions are pure; evaluate it once here rather than
     * re-parsing e.g. the duration on every token request. Values CEL returns are immutable. If it fails, it
     * stays dynamic so the failure surfaces at evaluation time, as an evaluation error, exactly as before.
     */
    private static Object constantValue(CelAbstractSyntaxTree ast, Program program) {
        boolean readsNothing = CelNavigableAst.fromAst(ast).getRoot().allNodes()
                .noneMatch(node -> node.getKind() == Kind.IDENT);
        if (!readsNothing) {
            return NOT_CONSTANT;
        }
        try {
            return program.eval(Map.of());
        } catch (CelEvaluationException | RuntimeException e) {
            return NOT_CONSTANT;
        }
    }

    public String field() {
        return field;
    }

    public CelType type() {
        return type;
    }

    /** The request facts this expression reads (see {@link ContextReads}); policy variables are not expanded. */
    public java.util.Set<String> reads() {
        return reads;
    }

    /** @throws PolicyEvaluationException on any evaluation failure, naming the field that failed */
    public Object eval(RequestActivation activation) {
        if (constant != NOT_CONSTANT) {
            return constant;
        }
        if (direct != null) {
            Object value = direct.evaluate(activation);
            if (value != DirectEvaluator.UNDECIDED) {
                return value;
            }
        }
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
