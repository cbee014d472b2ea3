package io.mintgate.audit.options;

import java.util.List;

/** Thrown at start when server options of the audit listener are wrong; the message lists every problem. */
public final class InvalidAuditOptionsException extends IllegalArgumentException {
    private final List<String> problems;

    InvalidAuditOptionsException(List<String> problems) {
        super("Mintgate audit cannot start: " + problems.size() + " invalid server option"
                + (problems.size() == 1 ? "" : "s") + ":\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem: {@code --spi-events-listener--mintgate-audit--<name>=<value>: expected ...}. */
    public List<String> problems() {
        return problems;
    }
}
