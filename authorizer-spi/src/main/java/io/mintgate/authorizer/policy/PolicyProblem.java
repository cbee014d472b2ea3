package io.mintgate.authorizer.policy;

/**
 * One thing wrong with a policy document. {@code field} is a path such as {@code rules[2].deny}; {@code line}
 * and {@code column} are 1-based and relative to the expression for CEL problems, to the document for JSON
 * problems; 0 when unknown.
 */
public record PolicyProblem(String field, String rule, int line, int column, String message) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(field == null || field.isEmpty() ? "policy" : field);
        if (rule != null) {
            sb.append(" (rule '").append(rule).append("')");
        }
        sb.append(": ");
        if (line > 0) {
            sb.append("line ").append(line).append(", column ").append(column).append(": ");
        }
        return sb.append(message).toString();
    }
}
