package io.mintgate.authorizer.policy.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.values.SelectableValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the common, simple part of CEL directly in Java, before (and never instead of) the CEL program.
 *
 * <p>Why: on JDK 17 the cel-java 0.14 planner spends most of a decision in its value converter, whose chains of
 * interface {@code instanceof} checks on every String/Boolean it passes around hit HotSpot's slow subtype check
 * (JFR: ~55% of the samples on one {@code instanceof List}); the same policy runs twice as fast on JDK 25, which
 * fixed that check. This evaluator walks the checked AST with plain Java for the operators policies use most
 * (logic, conditionals, string/bool/int equality, {@code in}, indexing, optional indexing with {@code orValue},
 * {@code has}, {@code size}, list literals and concatenation, comprehensions such as {@code exists}/{@code filter},
 * and our own functions).
 *
 * <p>Semantics are CEL's by construction: an expression that uses anything else is not handled here at all, and
 * whenever evaluation meets an error, a value of a type it does not expect, or the comprehension limit, it gives
 * up ({@link #UNDECIDED}) and the caller runs the real CEL program from scratch, which produces the real result or
 * error. So this path only ever answers for evaluations without errors, where CEL's value is the plain one; its
 * answers are compared with CEL's in {@code DirectEvaluatorTest}.
 */
final class DirectEvaluator {

    /** Returned when this evaluator cannot (or must not) answer: run the CEL program. */
    static final Object UNDECIDED = new Object();

    private static final int MAX_LOCALS = 8;

    private final Node root;
    /** How many comprehension variables one evaluation needs (0 for most expressions: no array then). */
    private final int locals;

    private DirectEvaluator(Node root, int locals) {
        this.root = root;
        this.locals = locals;
    }

    /** An evaluator for {@code ast}, or null when the expression uses something this evaluator does not handle. */
    static DirectEvaluator of(CelAbstractSyntaxTree ast, ContextVariables context) {
        try {
            Planner planner = new Planner(ast, context);
            Node root = planner.plan(ast.getExpr(), new ArrayList<>());
            return root == null ? null : new DirectEvaluator(root, planner.maxLocals);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The expression's value, or {@link #UNDECIDED}. */
    Object evaluate(RequestActivation activation) {
        Frame frame = new Frame(activation, locals);
        try {
            Object value = root.eval(frame);
            return isPlainResult(value) ? value : UNDECIDED;
        } catch (RuntimeException e) {
            // Undecided, an error of ours or of a function: CEL decides (and reports the error if there is one).
            return UNDECIDED;
        }
    }

    /** Results whose CEL value is the very same object (or an equal list), so returning ours is indistinguishable. */
    private static boolean isPlainResult(Object value) {
        if (value instanceof Boolean || value instanceof String || value instanceof Long
                || value instanceof PreAdaptedList<?> || value instanceof PreAdaptedMap<?, ?>) {
            return true;
        }
        if (value instanceof Results list) {
            for (Object item : list.items) {
                if (!(item instanceof Boolean || item instanceof String || item instanceof Long)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** Thrown to give up; preallocated, without a stack trace, as it is part of normal operation. */
    private static final class Undecided extends RuntimeException {
        private static final Undecided INSTANCE = new Undecided();

        private Undecided() {
            super(null, null, false, false);
        }
    }

    private static RuntimeException undecided() {
        return Undecided.INSTANCE;
    }

    /** One evaluation: the request, comprehension variables, and the iteration count CEL would keep. */
    private static final class Frame {
        final RequestActivation activation;
        final Object[] locals;
        int iterations;

        Frame(RequestActivation activation, int locals) {
            this.activation = activation;
            this.locals = locals == 0 ? null : new Object[locals];
        }
    }

    /**
     * A step of the plan. An abstract class, not a functional interface: every call between steps is megamorphic, and
     * HotSpot dispatches an interface call through an itable stub that reads more of the receiver's class than a
     * virtual call does; with the cold caches of a busy token endpoint the stubs were a fifth of the evaluator's CPU
     * samples (async-profiler in the server).
     */
    private abstract static class Node {
        abstract Object eval(Frame frame);
    }

    /** A present or absent optional value, only inside this evaluator. */
    private record Opt(Object value) {
        static final Opt NONE = new Opt(null);
    }

    /** A list this evaluator built (literal, concatenation, comprehension result); read-only once built. */
    private static final class Results extends java.util.AbstractList<Object> implements java.util.RandomAccess {
        final Object[] items;

        Results(Object[] items) {
            this.items = items;
        }

        @Override
        public Object get(int index) {
            return items[index];
        }

        @Override
        public int size() {
            return items.length;
        }
    }

    private static boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw undecided();
    }

    private static String string(Object value) {
        if (value instanceof String s) {
            return s;
        }
        throw undecided();
    }

    private static long integer(Object value) {
        if (value instanceof Long l) {
            return l;
        }
        throw undecided();
    }

    private static List<?> list(Object value) {
        if (value instanceof PreAdaptedList<?> || value instanceof Results) {
            return (List<?>) value;
        }
        throw undecided();
    }

    /** Values whose CEL equality is Java's equals when both sides have the same class. */
    private static boolean simple(Object value) {
        return value instanceof String || value instanceof Boolean || value instanceof Long;
    }

    private static boolean equal(Object a, Object b) {
        if (!simple(a) || a.getClass() != b.getClass()) {
            throw undecided();
        }
        return a.equals(b);
    }

    /** Ints and timestamps only (string order in CEL is by code point, not Java's UTF-16 order). */
    private static int compare(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof Instant x && b instanceof Instant y) {
            return x.compareTo(y);
        }
        throw undecided();
    }

    private static boolean in(Object needle, Object haystack) {
        if (!simple(needle)) {
            throw undecided();
        }
        if (haystack instanceof PreAdaptedMap<?, ?> map) {
            if (!(needle instanceof String)) {
                throw undecided();
            }
            return map.containsKey(needle);
        }
        List<?> items = list(haystack);
        for (int i = 0; i < items.size(); i++) { // indexed: no iterator per test
            Object item = items.get(i);
            if (item == null || item.getClass() != needle.getClass()) {
                throw undecided();
            }
            if (item.equals(needle)) {
                return true;
            }
        }
        return false;
    }

    private static Object index(Object container, Object key) {
        if (container instanceof PreAdaptedMap<?, ?> map && key instanceof String) {
            Object value = map.get(key);
            if (value == null) {
                throw undecided(); // missing key (an error in CEL), or a null value
            }
            return value;
        }
        if (key instanceof Long i) {
            List<?> items = list(container);
            if (i < 0 || i >= items.size()) {
                throw undecided();
            }
            return items.get((int) (long) i);
        }
        throw undecided();
    }

    private static Opt optionalIndex(Object container, Object key) {
        if (container instanceof PreAdaptedMap<?, ?> map && key instanceof String) {
            Object value = map.get(key);
            if (value == null) {
                if (map.containsKey(key)) {
                    throw undecided();
                }
                return Opt.NONE;
            }
            return new Opt(value);
        }
        throw undecided();
    }

    private static Object select(Object operand, ContextType<?> type, int slot, String field, boolean testOnly) {
        if (operand instanceof ContextStruct<?> struct && struct.type() == type) {
            Object value = struct.read(slot);
            if (testOnly) {
                return ContextStruct.isPresent(value);
            }
            if (value == null) {
                throw undecided();
            }
            return value;
        }
        return select(operand, field, testOnly);
    }

    private static Object select(Object operand, String field, boolean testOnly) {
        if (operand instanceof SelectableValue<?>) {
            @SuppressWarnings("unchecked")
            SelectableValue<String> struct = (SelectableValue<String>) operand;
            if (testOnly) {
                return struct.find(field).isPresent();
            }
            Object value = struct.select(field);
            if (value == null) {
                throw undecided();
            }
            return value;
        }
        if (operand instanceof PreAdaptedMap<?, ?> map) {
            return testOnly ? (Object) map.containsKey(field) : index(map, field);
        }
        throw undecided();
    }

    private static Object plus(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Math.addExact(x, y);
        }
        if (a instanceof String x && b instanceof String y) {
            return x.concat(y);
        }
        List<?> x = list(a);
        List<?> y = list(b);
        Object[] items = new Object[x.size() + y.size()];
        for (int i = 0; i < x.size(); i++) {
            items[i] = x.get(i);
        }
        for (int i = 0; i < y.size(); i++) {
            items[x.size() + i] = y.get(i);
        }
        return new Results(items);
    }

    private static long size(Object value) {
        if (value instanceof String s) {
            return s.codePointCount(0, s.length());
        }
        if (value instanceof PreAdaptedMap<?, ?> map) {
            return map.size();
        }
        return list(value).size();
    }

    /** Turns the checked AST into nodes; null for anything not handled. */
    private static final class Planner {

        private final CelAbstractSyntaxTree ast;
        /** The table the expression was compiled with: a variable's position in the activation comes from it. */
        private final ContextVariables context;
        int maxLocals;

        Planner(CelAbstractSyntaxTree ast, ContextVariables context) {
            this.ast = ast;
            this.context = context;
        }

        /** {@code locals}: comprehension variables in scope, innermost last; a variable's slot is its position. */
        Node plan(CelExpr expr, List<String> locals) {
            return switch (expr.exprKind().getKind()) {
                case CONSTANT -> constant(expr.exprKind().constant());
                case IDENT -> ident(expr, locals);
                // A select the checker resolved as a whole (a qualified name) is not a field access.
                case SELECT -> ast.getReference(expr.id()).isPresent() ? null : select(expr.exprKind().select(), locals);
                case CALL -> call(expr.exprKind().call(), locals);
                case LIST -> listLiteral(expr.exprKind().list(), locals);
                case COMPREHENSION -> comprehension(expr.exprKind().comprehension(), locals);
                default -> null;
            };
        }

        private static Node constant(CelConstant constant) {
            Object value = switch (constant.getKind()) {
                case BOOLEAN_VALUE -> constant.booleanValue();
                case INT64_VALUE -> constant.int64Value();
                case STRING_VALUE -> constant.stringValue();
                default -> null;
            };
            return value == null ? null : new Node() {
                @Override
                Object eval(Frame frame) {
                    return value;
                }
            };
        }

        private Node ident(CelExpr expr, List<String> locals) {
            String name = expr.exprKind().ident().name();
            if (ast.getReference(expr.id()).filter(r -> r.value().isPresent() || !r.name().equals(name)).isPresent()) {
                return null; // an enum constant, or a name the checker resolved to something else
            }
            int slot = locals.lastIndexOf(name);
            if (slot >= 0) {
                return new Node() {
                    @Override
                    Object eval(Frame frame) {
                        return frame.locals[slot];
                    }
                };
            }
            int index = context.indexOf(name);
            if (index < 0) {
                return null;
            }
            return new Node() {
                @Override
                Object eval(Frame frame) {
                    Object value = frame.activation.value(index);
                    if (value == null) {
                        throw undecided();
                    }
                    return value;
                }
            };
        }

        private Node select(CelExpr.CelSelect select, List<String> locals) {
            Node operand = plan(select.operand(), locals);
            if (operand == null) {
                return null;
            }
            String field = select.field();
            boolean testOnly = select.testOnly();
            // A field of one of our context structs: resolve its slot now rather than hash its name at every read
            // (a decision runs with cold caches on a busy token endpoint, where every map probe is a miss).
            ContextType<?> type = ast.getType(select.operand().id()).map(t -> context.shape(t.name())).orElse(null);
            int slot = type == null ? -1 : type.slot(field);
            if (slot >= 0) {
                return new Node() {
                    @Override
                    Object eval(Frame frame) {
                        return DirectEvaluator.select(operand.eval(frame), type, slot, field, testOnly);
                    }
                };
            }
            return new Node() {
                @Override
                Object eval(Frame frame) {
                    return DirectEvaluator.select(operand.eval(frame), field, testOnly);
                }
            };
        }

        private Node listLiteral(CelExpr.CelList list, List<String> locals) {
            if (!list.optionalIndices().isEmpty()) {
                return null;
            }
            Node[] elements = plan(list.elements(), locals);
            if (elements == null) {
                return null;
            }
            if (list.elements().stream().allMatch(e -> e.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT)) {
                Object[] items = new Object[elements.length];
                for (int i = 0; i < items.length; i++) {
                    items[i] = elements[i].eval(null); // constants ignore the frame
                }
                Results constant = new Results(items);
                return new Node() {
                    @Override
                    Object eval(Frame frame) {
                        return constant;
                    }
                };
            }
            return new Node() {
                @Override
                Object eval(Frame frame) {
                    Object[] items = new Object[elements.length];
                    for (int i = 0; i < items.length; i++) {
                        items[i] = elements[i].eval(frame);
                    }
                    return new Results(items);
                }
            };
        }

        private Node[] plan(List<CelExpr> exprs, List<String> locals) {
            Node[] nodes = new Node[exprs.size()];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = plan(exprs.get(i), locals);
                if (nodes[i] == null) {
                    return null;
                }
            }
            return nodes;
        }

        private Node comprehension(CelExpr.CelComprehension c, List<String> locals) {
            if (!c.iterVar2().isEmpty() || locals.size() + 2 > MAX_LOCALS) {
                return null;
            }
            Node range = plan(c.iterRange(), locals);
            Node init = plan(c.accuInit(), locals);
            List<String> inner = new ArrayList<>(locals);
            inner.add(c.accuVar());
            int accuSlot = inner.size() - 1;
            Node result = plan(c.result(), inner);
            inner.add(c.iterVar());
            int iterSlot = inner.size() - 1;
            maxLocals = Math.max(maxLocals, inner.size());
            Node condition = plan(c.loopCondition(), inner);
            Node step = plan(c.loopStep(), inner);
            if (range == null || init == null || result == null || condition == null || step == null) {
                return null;
            }
            return new Node() {
                @Override
                Object eval(Frame frame) {
                    List<?> items = list(range.eval(frame));
                    frame.locals[accuSlot] = init.eval(frame);
                    for (int i = 0; i < items.size(); i++) {
                        if (++frame.iterations > CelEnvironment.MAX_COMPREHENSION_ITERATIONS) {
                            throw undecided(); // CEL fails here; let it say so
                        }
                        frame.locals[iterSlot] = items.get(i);
                        if (!bool(condition.eval(frame))) {
                            break;
                        }
                        frame.locals[accuSlot] = step.eval(frame);
                    }
                    frame.locals[iterSlot] = null;
                    return result.eval(frame);
                }
            };
        }

        private Node call(CelExpr.CelCall call, List<String> locals) {
            Node target = null;
            if (call.target().isPresent()) {
                target = plan(call.target().get(), locals);
                if (target == null) {
                    return null;
                }
            }
            Node[] args = plan(call.args(), locals);
            if (args == null) {
                return null;
            }
            Node t = target;
            String function = call.function();
            if (t == null) {
                return global(function, args);
            }
            return member(function, t, args);
        }

        private static Node global(String function, Node[] a) {
            // The operands as fields of the step itself: one pointer less to follow than through the array.
            Node x = a.length > 0 ? a[0] : null;
            Node y = a.length > 1 ? a[1] : null;
            Node z = a.length > 2 ? a[2] : null;
            Node w = a.length > 3 ? a[3] : null;
            return switch (function + "/" + a.length) {
                case "_&&_/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return bool(x.eval(f)) ? bool(y.eval(f)) : Boolean.FALSE;
                    }
                };
                case "_||_/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return bool(x.eval(f)) ? Boolean.TRUE : bool(y.eval(f));
                    }
                };
                case "!_/1" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return !bool(x.eval(f));
                    }
                };
                case "_?_:_/3" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return bool(x.eval(f)) ? y.eval(f) : z.eval(f);
                    }
                };
                case "@not_strictly_false/1" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return bool(x.eval(f));
                    }
                };
                case "_==_/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return equal(x.eval(f), y.eval(f));
                    }
                };
                case "_!=_/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return !equal(x.eval(f), y.eval(f));
                    }
                };
                case "@in/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return in(x.eval(f), y.eval(f));
                    }
                };
                case "_<_/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return compare(x.eval(f), y.eval(f)) < 0;
                    }
                };
                case "_<=_/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return compare(x.eval(f), y.eval(f)) <= 0;
                    }
                };
                case "_>_/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return compare(x.eval(f), y.eval(f)) > 0;
                    }
                };
                case "_>=_/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return compare(x.eval(f), y.eval(f)) >= 0;
                    }
                };
                case "_[_]/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return index(x.eval(f), y.eval(f));
                    }
                };
                case "_[?_]/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return optionalIndex(x.eval(f), y.eval(f));
                    }
                };
                case "_+_/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return plus(x.eval(f), y.eval(f));
                    }
                };
                case "size/1" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return size(x.eval(f));
                    }
                };
                case "globMatch/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        Object patterns = x.eval(f);
                        String value = string(y.eval(f));
                        return patterns instanceof String p ? Glob.matches(p, value) : Glob.matchesAny(list(patterns), value);
                    }
                };
                case "allGlobMatch/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return Glob.allMatchAny(list(x.eval(f)), list(y.eval(f)));
                    }
                };
                case "isWeekday/2" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return TimeWindows.isWeekday(instant(x.eval(f)), string(y.eval(f)));
                    }
                };
                case "withinHours/4" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return TimeWindows.withinHours(instant(x.eval(f)), string(y.eval(f)),
                                integer(z.eval(f)), integer(w.eval(f)));
                    }
                };
                default -> null;
            };
        }

        private static Node member(String function, Node t, Node[] a) {
            Node x = a.length > 0 ? a[0] : null;
            return switch (function + "/" + a.length) {
                case "orValue/1" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        Object target = t.eval(f);
                        Object fallback = x.eval(f);
                        if (!(target instanceof Opt opt)) {
                            throw undecided();
                        }
                        return opt == Opt.NONE ? fallback : opt.value();
                    }
                };
                case "hasValue/0" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        if (!(t.eval(f) instanceof Opt opt)) {
                            throw undecided();
                        }
                        return opt != Opt.NONE;
                    }
                };
                case "size/0" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return size(t.eval(f));
                    }
                };
                case "startsWith/1" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return string(t.eval(f)).startsWith(string(x.eval(f)));
                    }
                };
                case "endsWith/1" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return string(t.eval(f)).endsWith(string(x.eval(f)));
                    }
                };
                case "contains/1" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return string(t.eval(f)).contains(string(x.eval(f)));
                    }
                };
                case "splitList/0" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        return MintgateFunctions.splitList(string(t.eval(f)));
                    }
                };
                case "inCidr/1" -> new Node() {
                    @Override
                    Object eval(Frame f) {
                        String ip = string(t.eval(f));
                        Object cidrs = x.eval(f);
                        return cidrs instanceof String c ? Cidr.parse(c).contains(ip) : Cidr.anyContains(list(cidrs), ip);
                    }
                };
                default -> null;
            };
        }

        private static Instant instant(Object value) {
            if (value instanceof Instant i) {
                return i;
            }
            throw undecided();
        }
    }
}
