package io.mintgate.authorizer.surface;

import java.util.List;

/**
 * Which Mintgate policies decide a grant path of one client.
 *
 * @param coverage {@code covered}: at least one policy applies whatever the request; {@code conditional}: policies
 *                 apply only to some requests (a condition reads the request); {@code uncovered}: none applies
 */
public record PathCoverage(GrantPath path, String coverage, List<CoveringPolicy> policies) {

    public static final String COVERED = "covered";
    public static final String CONDITIONAL = "conditional";
    public static final String UNCOVERED = "uncovered";

    public PathCoverage {
        policies = List.copyOf(policies);
    }

    public static PathCoverage of(GrantPath path, List<CoveringPolicy> policies) {
        String coverage = policies.stream().anyMatch(CoveringPolicy::always) ? COVERED
                : policies.isEmpty() ? UNCOVERED : CONDITIONAL;
        return new PathCoverage(path, coverage, policies);
    }

    /**
     * One issuance-authorizer executor that decides the path.
     *
     * @param storedPolicy the stored policy the executor names, or null for a policy written in the executor
     * @param always       false when a condition of the client policy depends on the request
     */
    public record CoveringPolicy(String clientPolicy, String profile, String storedPolicy, boolean always) {
    }
}
