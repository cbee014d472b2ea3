package io.mintgate.authorizer.policy.authzen;

import java.net.URI;
import java.time.Duration;

/**
 * One PDP a policy declares under {@code pdps}: where its AuthZEN API lives ({@code url} is the PDP's base, its
 * {@code policy_decision_point}; {@code /access/v1/evaluation(s)} is appended), how long a call may take, how
 * long a decision is reused, when to stop calling it, and how to authenticate. Equal configs share one channel
 * (cache, breaker, access token) on a node.
 */
public record PdpConfig(String name, URI url, Duration timeout, Duration cacheTtl, int cacheSize,
                        int breakerFailures, Duration breakerCoolDown, PdpAuth auth) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(30);
    public static final int DEFAULT_CACHE_SIZE = 10_000;
    public static final int DEFAULT_BREAKER_FAILURES = 5;
    public static final Duration DEFAULT_BREAKER_COOL_DOWN = Duration.ofSeconds(30);

    public URI evaluationUri() {
        return resolve("access/v1/evaluation");
    }

    public URI evaluationsUri() {
        return resolve("access/v1/evaluations");
    }

    private URI resolve(String path) {
        String base = url.toString();
        return URI.create(base.endsWith("/") ? base + path : base + "/" + path);
    }
}
