package io.mintgate.authorizer.keycloak.clientpolicy;

/**
 * Marks a condition or executor that only reads its configuration object after {@code setupConfiguration}: one
 * converted configuration may then serve every session, and {@link CachingClientPolicyManager} converts the JSON
 * once per version of the realm's client policies instead of once per request (Jackson's {@code convertValue} was
 * ~30 µs of CPU per client_credentials token on a busy endpoint, the largest part of the manager's own cost). Any
 * provider without the mark gets a fresh object per session, as under Keycloak's own manager.
 */
public interface SharedConfiguration {
}
