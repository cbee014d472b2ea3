package io.mintgate.bench;

import java.util.Locale;

/**
 * What servers A and B differ in ({@code -Dbench.compare}). Everything not named here is the same on both: the
 * distribution, build and start options, realm, load and rounds.
 */
enum Comparison {

    /** A: Keycloak alone; B: Keycloak + Mintgate (20-rule policy, audit listener). The default. */
    VANILLA("vanilla", "vanilla", "Mintgate", "V", "M", "ab-results", "ab-report.md", "vanilla", "mintgate"),

    /**
     * Both servers run the Mintgate bundle, policy and audit listener; A's policy is B's with every rule's
     * {@code obligations} removed, so B minus A is what narrowing costs (evaluating the obligations and applying
     * them to the built token).
     */
    NARROWING("narrowing", "no narrowing", "narrowing", "without", "with", "ab-narrowing-results",
            "ab-narrowing-report.md", "no-narrowing", "narrowing"),

    /**
     * A/A: both servers are vanilla Keycloak, set up, loaded and measured exactly as in {@link #VANILLA}. Whatever
     * B/A ratio this shows is the benchmark's own: the noise of one run on this machine, and any bias of being server
     * B (started second, second home, measured second in odd rounds). It is the yardstick for the other two.
     */
    SAME("same", "vanilla A", "vanilla B", "A", "B", "ab-same-results", "ab-same-report.md", "vanilla-a", "vanilla-b"),

    /**
     * A: Keycloak alone; B: Keycloak with the Mintgate bundle in {@code providers/} and its start options, but no
     * policy, client profile or audit listener in the realm. B minus A is what merely installing the bundle costs
     * (its client-policy manager, global event listeners, token post-processor, the spool's idle threads): the part
     * of Mintgate's cost that no policy or listener setting can remove.
     */
    INSTALLED("installed", "vanilla", "Mintgate installed", "V", "I", "ab-installed-results", "ab-installed-report.md",
            "vanilla", "installed"),

    /**
     * A: Keycloak alone; B: Keycloak with the Mintgate bundle and the 20-rule policy (stored policy, client profile
     * and policy), but no audit listener. B minus A is what the issuance decision costs, narrowing included.
     */
    POLICY("policy", "vanilla", "Mintgate policy only", "V", "P", "ab-policy-results", "ab-policy-report.md",
            "vanilla", "policy-only"),

    /**
     * A: Keycloak alone; B: Keycloak with the Mintgate bundle and its audit listener (spool, file sink), but no
     * policy. B minus A is what the audit trail costs without decisions to record.
     */
    AUDIT("audit", "vanilla", "Mintgate audit only", "V", "AU", "ab-audit-results", "ab-audit-report.md",
            "vanilla", "audit-only"),

    /**
     * Both servers run Mintgate with the full policy and the audit listener; A with {@code guarantee=async}, B with
     * the default {@code before-response}. B minus A is what the lossless guarantee costs: the request thread's wait
     * for the fsync and the writer's smaller batches.
     */
    GUARANTEE("guarantee", "async", "before-response", "AS", "BR", "ab-guarantee-results",
            "ab-guarantee-report.md", "async", "before-response");

    final String id;
    /** Name of server A (the baseline) and B in the report. */
    final String labelA;
    final String labelB;
    /** Short forms for table cells such as "p50 ms V / M". */
    final String shortA;
    final String shortB;
    /** The results block of the dated runs (docs/performance/) this comparison owns: {@code <!-- marker:begin -->}...{@code end}. */
    final String docMarker;
    final String reportFile;
    /** Names of the two servers in the progress output, the per-round table and the log folders. */
    final String serverA;
    final String serverB;

    Comparison(String id, String labelA, String labelB, String shortA, String shortB, String docMarker,
               String reportFile, String serverA, String serverB) {
        this.id = id;
        this.labelA = labelA;
        this.labelB = labelB;
        this.shortA = shortA;
        this.shortB = shortB;
        this.docMarker = docMarker;
        this.reportFile = reportFile;
        this.serverA = serverA;
        this.serverB = serverB;
    }

    /** Does server A run the Mintgate bundle, policy and listener too? */
    boolean mintgateOnA() {
        return this == NARROWING || this == GUARANTEE;
    }

    /** Does server B have the Mintgate bundle? All but the A/A comparison. */
    boolean mintgateOnB() {
        return this != SAME;
    }

    /** Does server B's realm have the 20-rule policy (stored policy, client profile and client policy)? */
    boolean policyOnB() {
        return this == VANILLA || this == NARROWING || this == POLICY || this == GUARANTEE;
    }

    /** Does server B's realm send its events to Mintgate's audit listener? */
    boolean auditOnB() {
        return this == VANILLA || this == NARROWING || this == AUDIT || this == GUARANTEE;
    }

    String ratioLabel() {
        return switch (this) {
            case VANILLA -> "ratio M/V";
            case NARROWING -> "ratio with/without narrowing";
            case SAME -> "ratio B/A";
            case INSTALLED -> "ratio I/V";
            case POLICY -> "ratio P/V";
            case AUDIT -> "ratio AU/V";
            case GUARANTEE -> "ratio BR/AS";
        };
    }

    static Comparison of(String id) {
        for (Comparison c : values()) {
            if (c.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("bench.compare=" + id + " is not one of " + java.util.Arrays.stream(values())
                .map(c -> c.id).collect(java.util.stream.Collectors.joining(", ")));
    }
}
