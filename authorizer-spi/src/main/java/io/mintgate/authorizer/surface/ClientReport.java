package io.mintgate.authorizer.surface;

import java.util.List;

/** The inventory of one client: its grant paths with their coverage, and its posture findings. */
public record ClientReport(ClientSurface client, List<PathCoverage> paths, List<Finding> findings) {

    public ClientReport {
        paths = List.copyOf(paths);
        findings = List.copyOf(findings);
    }

    public boolean hasUncoveredPath() {
        return paths.stream().anyMatch(p -> PathCoverage.UNCOVERED.equals(p.coverage()));
    }
}
