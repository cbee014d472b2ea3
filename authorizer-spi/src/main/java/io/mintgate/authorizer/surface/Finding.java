package io.mintgate.authorizer.surface;

/**
 * A posture finding on one client, after RFC 9700 (OAuth 2.0 Security Best Current Practice) and the product's
 * non-human-identity rules.
 *
 * @param id       stable identifier, for filters and suppression lists
 * @param severity {@code high}, {@code medium} or {@code low}
 */
public record Finding(String id, String severity, String message) {
}
