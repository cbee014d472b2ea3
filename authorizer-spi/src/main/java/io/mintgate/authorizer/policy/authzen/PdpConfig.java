package io.mintgate.authorizer.policy.authzen;

import java.net.URI;
import java.time.Duration;

/**
 * One PDP a policy declares under {@code pdps}: where its AuthZEN API lives ({@code url} is the PDP's base, its
 * {@code policy_decision_point}; {@code /access/v1/evaluation(s)} is appended), how long a call may take, how
 * long a decision is reused, when to stop calling it, and how to authenticate. Equal configs share one channel
 * (cache, breaker, access token) on a node.
 *
 * <p>{@code profile} is {@link #PLAIN} for a PDP that rules map to freely, or {@link #TOKEN_ISSUANCE} for one that
 * speaks the AuthZEN Profile for OAuth 2.0 Token Issuance (Draft 1): Mintgate then forms the evaluations itself
 * (Section 5) and shapes the token from the answer (Section 6), at most {@code maxEvaluations} per token request
 * (Section 5.5.3).
 */
public record PdpConfig(String name, URI url, Duration timeout, Duration cacheTtl, int cacheSize,
                        int breakerFailures, Duration breakerCoolDown, PdpAuth auth, String profile,
                        int maxEvaluations) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(30);
    public static final int DEFAULT_CACHE_SIZE = 10_000;
    public static final int DEFAULT_BREAKER_FAILURES = 5;
    public static final Duration DEFAULT_BREAKER_COOL_DOWN = Duration.ofSeconds(30);
    public static final String PLAIN = "plain";
    public static final String TOKEN_ISSUANCE = "token-issuance";
    public static final int DEFAULT_MAX_EVALUATIONS = 64;
    /** Token Issuance profile, Section 13.1: what a PDP's metadata must list in {@code capabilities}. */
    public static final String TOKEN_ISSUANCE_CAPABILITY = "urn:openid:authzen:capability:token-issuance";

    /** A plain AuthZEN PDP. */
    public PdpConfig(String name, URI url, Duration timeout, Duration cacheTtl, int cacheSize,
                     int breakerFailures, Duration breakerCoolDown, PdpAuth auth) {
        this(name, url, timeout, cacheTtl, cacheSize, breakerFailures, breakerCoolDown, auth, PLAIN,
                DEFAULT_MAX_EVALUATIONS);
    }

    public boolean tokenIssuance() {
        return TOKEN_ISSUANCE.equals(profile);
    }

    public URI evaluationUri() {
        return resolve("access/v1/evaluation");
    }

    public URI evaluationsUri() {
        return resolve("access/v1/evaluations");
    }

    /**
     * The PDP's metadata document (AuthZEN 1.0, PDP metadata; token issuance profile Section 7): the well-known
     * name inserted between the host and the path of {@code policy_decision_point}, as RFC 8414 does.
     */
    public URI metadataUri() {
        String path = url.getRawPath() == null || "/".equals(url.getRawPath()) ? "" : url.getRawPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + "/.well-known/authzen-configuration" + path);
    }

    private URI resolve(String path) {
        String base = url.toString();
        return URI.create(base.endsWith("/") ? base + path : base + "/" + path);
    }
}
