package io.mintgate.authorizer.policy;

import java.util.Map;

/**
 * Claims of a federated client assertion (e.g. a GitHub Actions OIDC token) that Keycloak has already VERIFIED.
 * Claim values are JSON-like: String, Boolean, Number, List, Map.
 */
public record WorkloadInfo(String issuer, String subject, Map<String, Object> claims) {

    public static final WorkloadInfo NONE = new WorkloadInfo("", "", Map.of());

    public WorkloadInfo {
        issuer = Values.orEmpty(issuer);
        subject = Values.orEmpty(subject);
        claims = Values.copy(claims);
    }

    public boolean present() {
        return !issuer.isEmpty();
    }
}
