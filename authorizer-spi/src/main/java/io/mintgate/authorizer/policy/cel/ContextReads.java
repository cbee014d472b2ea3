package io.mintgate.authorizer.policy.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelExpr.ExprKind.Kind;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which request facts a checked expression reads, as paths: {@code grant.scopes} for a field selected from a
 * context variable, {@code grant} alone when the variable is used whole (passed to a function, {@code grant.?x},
 * compared), {@code variables.name} for a policy variable. Read from the AST once, at compile time, so that the
 * engine can tell which rules can decide before some facts are known (e.g. before the user has authenticated).
 * <p>
 * A comprehension variable that happens to carry a context variable's name (e.g. {@code exists(subject, ...)})
 * is counted as a read of that context variable: over-reporting only ever keeps a rule back, never runs it early.
 */
public final class ContextReads {

    private ContextReads() {
    }

    /** The reads of {@code ast}, checked against {@code context}: the table it was compiled with. */
    static Set<String> of(CelAbstractSyntaxTree ast, ContextVariables context) {
        Set<String> reads = new TreeSet<>();
        CelNavigableAst.fromAst(ast).getRoot().allNodes()
                .filter(node -> node.getKind() == Kind.IDENT)
                .forEach(node -> {
                    String name = node.expr().ident().name();
                    if (context.names().contains(name)) {
                        reads.add(path(name, node));
                    }
                });
        return Set.copyOf(reads);
    }

    /** {@code name.field} when the identifier is the operand of a field selection, else the whole variable. */
    private static String path(String name, CelNavigableExpr ident) {
        CelNavigableExpr parent = ident.parent().orElse(null);
        if (parent != null && parent.getKind() == Kind.SELECT) {
            CelExpr.CelSelect select = parent.expr().select();
            if (select.operand().id() == ident.id()) {
                return name + "." + select.field();
            }
        }
        return name;
    }

    /** True when {@code read} (a path from {@link #of}) is covered by {@code known} (paths or whole variables). */
    public static boolean covered(String read, Set<String> known) {
        if (known.contains(read)) {
            return true;
        }
        int dot = read.indexOf('.');
        return dot > 0 && known.contains(read.substring(0, dot));
    }
}
