package io.mintgate.authorizer.policy;

/**
 * Something a rule noticed without deciding: a shadow rule that would deny, or an evaluation error.
 * {@code detail} is for the audit log and may contain internals; never show it to the client.
 */
public record RuleFinding(String rule, String reason, Mode mode, boolean error, String detail) {
}
