package io.mintgate.authorizer.policy.authzen;

import io.mintgate.authorizer.policy.PolicyEvaluationException;
import io.mintgate.authorizer.policy.cel.CelValues;
import io.mintgate.authorizer.policy.cel.CompiledExpression;
import io.mintgate.authorizer.policy.cel.RequestActivation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON object whose leaves are compiled CEL expressions (an AuthZEN subject, action, resource or context),
 * evaluated per request into plain Java values in declaration order, so equal requests give equal bodies.
 */
final class JsonTemplate {

    /** One member: a CEL leaf ({@code expression}) or a nested object ({@code nested}). */
    record Member(String name, CompiledExpression expression, JsonTemplate nested, boolean string) {
    }

    static final JsonTemplate EMPTY = new JsonTemplate(List.of());

    private final List<Member> members;

    JsonTemplate(List<Member> members) {
        this.members = List.copyOf(members);
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    Map<String, Object> evaluate(RequestActivation activation) {
        Map<String, Object> out = new LinkedHashMap<>(members.size() * 2);
        for (Member member : members) {
            if (member.nested() != null) {
                out.put(member.name(), member.nested().evaluate(activation));
                continue;
            }
            Object value = CelValues.toJava(member.expression().eval(activation));
            if (member.string() && !(value instanceof String)) {
                // dyn expressions (e.g. a workload claim) are type-checked here; AuthZEN ids, types and names are strings.
                throw new PolicyEvaluationException(member.expression().field() + ": expected string but got "
                        + (value == null ? "null" : value.getClass().getSimpleName()), null);
            }
            out.put(member.name(), value);
        }
        return out;
    }
}
