package io.mintgate.authorizer.policy.cel;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one CEL environment all policies share: the context variables of {@link ContextVariables#STANDARD}, their
 * struct types, extensions and custom functions. The runtime is built once per JVM; a compiler is built per
 * variables layout (i.e. per policy save).
 */
public final class CelEnvironment {

    /** Bounds one expression so a hostile or careless policy cannot stall token issuance. */
    public static final int MAX_COMPREHENSION_ITERATIONS = 1_000;
    public static final int MAX_EXPRESSION_LENGTH = 4_096;

    static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .enableOptionalSyntax(true)
            .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
            .maxExpressionCodePointSize(MAX_EXPRESSION_LENGTH)
            .build();

    private static final CelRuntime RUNTIME = runtime(ContextVariables.STANDARD);

    private CelEnvironment() {
    }

    /** A compiler that knows the given policy variables (use {@link PolicyVariables#NONE} for none). */
    public static ExpressionCompiler compiler(PolicyVariables variables) {
        return compiler(variables, CompiledExpression.DIRECT_EVALUATION);
    }

    /**
     * As {@link #compiler(PolicyVariables)}; {@code direct} false compiles expressions that always run on the CEL
     * runtime, without {@link DirectEvaluator} (the reference that tests compare the fast paths with).
     */
    public static ExpressionCompiler compiler(PolicyVariables variables, boolean direct) {
        return compiler(ContextVariables.STANDARD, variables, direct);
    }

    /**
     * As {@link #compiler(PolicyVariables, boolean)} over another table than the standard one; its expressions must
     * be evaluated in a {@link RequestActivation} over the same table.
     */
    static ExpressionCompiler compiler(ContextVariables context, PolicyVariables variables, boolean direct) {
        CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(new ContextTypeProvider(context, variables.type()))
                .addLibraries(CelExtensions.strings(), CelExtensions.optional(), CelExtensions.lists(), CelExtensions.sets(OPTIONS))
                .addFunctionDeclarations(MintgateFunctions.DECLARATIONS);
        for (ContextVariable variable : context.variables()) {
            builder.addVar(variable.name(), variable.type());
        }
        builder.addVar(ContextVariables.POLICY_VARIABLES, variables.type());
        CelRuntime runtime = context == ContextVariables.STANDARD ? RUNTIME : runtime(context);
        return new ExpressionCompiler(builder.build(), runtime, context, direct);
    }

    private static CelRuntime runtime(ContextVariables context) {
        return CelRuntimeFactory.plannerRuntimeBuilder()
                .setOptions(OPTIONS)
                .setTypeProvider(new ContextTypeProvider(context, null))
                .addLibraries(CelExtensions.strings(), CelExtensions.optional(), CelExtensions.lists(), CelExtensions.sets(OPTIONS))
                .addFunctionBindings(MintgateFunctions.BINDINGS)
                .build();
    }

    /** Compiles CEL source into a program, or returns the checker's issues. */
    public static final class ExpressionCompiler {

        private final CelCompiler compiler;
        private final CelRuntime runtime;
        private final ContextVariables context;
        private final boolean direct;

        private ExpressionCompiler(CelCompiler compiler, CelRuntime runtime, ContextVariables context, boolean direct) {
            this.compiler = compiler;
            this.runtime = runtime;
            this.context = context;
            this.direct = direct;
        }

        public Result compile(String field, String source) {
            CelValidationResult result = compiler.compile(source);
            if (result.hasError()) {
                List<Issue> issues = new ArrayList<>();
                for (CelIssue issue : result.getErrors()) {
                    // CEL lines are 1-based and columns 0-based; report both 1-based like editors do.
                    int line = Math.max(issue.getSourceLocation().getLine(), 0);
                    int column = issue.getSourceLocation().getColumn() < 0 ? 0 : issue.getSourceLocation().getColumn() + 1;
                    issues.add(new Issue(line, column, issue.getMessage()));
                }
                return new Result(null, issues);
            }
            try {
                CelAbstractSyntaxTree ast = result.getAst();
                return new Result(CompiledExpression.of(field, ast, runtime.createProgram(ast), direct, context), List.of());
            } catch (CelEvaluationException | dev.cel.common.CelValidationException e) {
                return new Result(null, List.of(new Issue(0, 0, e.getMessage())));
            }
        }
    }

    /** A compile outcome: exactly one of expression / issues is meaningful. */
    public record Result(CompiledExpression expression, List<Issue> issues) {
        public boolean ok() {
            return expression != null;
        }
    }

    public record Issue(int line, int column, String message) {
    }

    /** Resolves our struct type names for the checker and runtime. */
    private static final class ContextTypeProvider implements CelTypeProvider {

        private final ImmutableList<CelType> types;

        ContextTypeProvider(ContextVariables context, StructType variablesType) {
            ImmutableList.Builder<CelType> b = ImmutableList.builder();
            context.shapes().forEach(t -> b.add(t.celType()));
            if (variablesType != null) {
                b.add(variablesType);
            }
            this.types = b.build();
        }

        @Override
        public ImmutableCollection<CelType> types() {
            return types;
        }

        @Override
        public Optional<CelType> findType(String name) {
            for (CelType t : types) {
                if (t.name().equals(name)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }
}
