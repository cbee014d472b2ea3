package io.mintgate.authorizer.policy;

import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;

/**
 * The result type a policy field demands. {@code dyn} results (e.g. a workload claim) are accepted when saved
 * and checked again when evaluated, since their type is only known at runtime.
 */
public enum ExpectedType {
    BOOL("bool"),
    STRING("string"),
    INT("int"),
    STRING_LIST("list(string)"),
    DURATION("google.protobuf.Duration"),
    ANY("any");

    private final String display;

    ExpectedType(String display) {
        this.display = display;
    }

    public String display() {
        return display;
    }

    boolean accepts(CelType actual) {
        if (this == ANY || isDyn(actual)) {
            return true;
        }
        return switch (this) {
            case BOOL -> actual.equals(SimpleType.BOOL);
            case STRING -> actual.equals(SimpleType.STRING);
            case INT -> actual.equals(SimpleType.INT);
            case DURATION -> actual.equals(SimpleType.DURATION);
            case STRING_LIST -> actual instanceof ListType list
                    && (list.elemType().equals(SimpleType.STRING) || isDyn(list.elemType()));
            case ANY -> true;
        };
    }

    private static boolean isDyn(CelType type) {
        return type.kind() == CelKind.DYN || type.kind() == CelKind.ANY;
    }
}
