package io.mintgate.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Where a server's CPU went, from an async-profiler CPU profile in collapsed form (one stack per line, root first:
 * {@code frame;frame;...;frame <samples>}): the samples of the stacks each {@link #ROWS row} matches, per successful
 * token request. Rows are inclusive (a stack counts in every row it matches), so they overlap and do not add up.
 *
 * <p>Frames are compared in dotted form ({@code org.keycloak...DefaultClientPolicyManager.triggerOnEvent}), so a
 * profile written with slashes in the class names (async-profiler's default) and one written with its {@code dot}
 * option read alike; annotations such as {@code _[j]} or {@code _[k]} are ignored.
 */
final class ProfileAttribution {

    /** The sampling interval {@link ServerProfiler} asks for: each sample is this much CPU time of one thread. */
    static final long MICROS_PER_SAMPLE = 1000;

    /** A thread's run loop is among the first frames of each of its stacks (Thread.run, a lambda, ...). */
    static final int THREAD_ROOT_DEPTH = 6;

    /** Keycloak's client-policy manager, and Mintgate's (the default once the bundle is installed). */
    private static final String CLIENT_POLICIES = "org.keycloak.services.clientpolicy.DefaultClientPolicyManager.triggerOnEvent";
    private static final String CACHED_CLIENT_POLICIES =
            "io.mintgate.authorizer.keycloak.clientpolicy.CachingClientPolicyManager.triggerOnEvent";
    /** The manager is Mintgate's code, but it stands in for Keycloak's: its stacks count as the machinery. */
    private static final String MANAGER_PACKAGE = "io.mintgate.authorizer.keycloak.clientpolicy.";
    private static final String EXECUTOR = "io.mintgate.authorizer.keycloak.IssuanceAuthorizerExecutor.executeOnEvent";

    /** One line of the table: what it counts, and which stacks (frames root first, dotted) it counts. */
    record Row(String label, Predicate<List<String>> matches) {
    }

    static final List<Row> ROWS = List.of(
            new Row("client-policy machinery, without Mintgate's executor and conditions (`triggerOnEvent` of Keycloak's"
                    + " `DefaultClientPolicyManager` or Mintgate's `CachingClientPolicyManager`, stacks without other"
                    + " `io/mintgate` frames)",
                    frame(CLIENT_POLICIES).or(frame(CACHED_CLIENT_POLICIES)).and(mintgateOutside(MANAGER_PACKAGE).negate())),
            new Row("Mintgate executor (`IssuanceAuthorizerExecutor.executeOnEvent`)", frame(EXECUTOR)),
            new Row("&nbsp;&nbsp;of which request building (`IssuanceRequests.forEvent`)",
                    frame(EXECUTOR).and(frame("io.mintgate.authorizer.keycloak.IssuanceRequests.forEvent"))),
            new Row("&nbsp;&nbsp;of which policy evaluation (`PolicySet.evaluate`)",
                    frame(EXECUTOR).and(frame("io.mintgate.authorizer.policy.PolicySet.evaluate"))),
            new Row("Mintgate post-processor (`IssuancePostProcessor`)",
                    under("io.mintgate.authorizer.keycloak.IssuancePostProcessor")),
            new Row("Mintgate token mappers (`io/mintgate/authorizer/keycloak/mappers`)",
                    under("io.mintgate.authorizer.keycloak.mappers")),
            new Row("audit listener on the request thread (`MintgateAuditListener`, `AfterCommitAppend`)",
                    under("io.mintgate.audit.keycloak.MintgateAuditListener")
                            .or(under("io.mintgate.audit.keycloak.AfterCommitAppend"))),
            new Row("audit writer thread (`Spool.runWriter`)", threadRoot("io.mintgate.audit.spool.Spool.runWriter")),
            new Row("audit shipper thread(s) (`Shipper.run`)", threadRoot("io.mintgate.audit.ship.Shipper.run")),
            new Row("all stacks with `io/mintgate` frames", under("io.mintgate")));

    /** The samples of one profile: in all, and per row of {@link #ROWS} (same order). */
    record Profile(long totalSamples, long[] rowSamples) {

        static Profile read(Path collapsed) {
            try (Stream<String> lines = Files.lines(collapsed)) {
                return of(lines);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Profile of(Stream<String> lines) {
            long[] total = new long[1];
            long[] rows = new long[ROWS.size()];
            lines.map(String::strip).filter(l -> !l.isEmpty()).forEach(line -> {
                int space = line.lastIndexOf(' ');
                if (space < 0) {
                    throw new IllegalArgumentException("not a collapsed stack (no sample count): " + line);
                }
                long samples = Long.parseLong(line.substring(space + 1));
                List<String> frames = Arrays.stream(line.substring(0, space).split(";"))
                        .map(ProfileAttribution::normalize).toList();
                total[0] += samples;
                for (int i = 0; i < rows.length; i++) {
                    if (ROWS.get(i).matches().test(frames)) {
                        rows[i] += samples;
                    }
                }
            });
            return new Profile(total[0], rows);
        }
    }

    private ProfileAttribution() {
    }

    /** The stack has this exact method frame ({@code package.Class.method}). */
    static Predicate<List<String>> frame(String method) {
        return frames -> frames.contains(method);
    }

    /** The stack has a frame of this class (its nested classes and lambdas included) or of this package. */
    static Predicate<List<String>> under(String classOrPackage) {
        return frames -> frames.stream().anyMatch(f -> f.startsWith(classOrPackage + ".")
                || f.startsWith(classOrPackage + "$"));
    }

    /** The stack has a frame of Mintgate's code outside this package. */
    static Predicate<List<String>> mintgateOutside(String packagePrefix) {
        return frames -> frames.stream().anyMatch(f -> f.startsWith("io.mintgate.") && !f.startsWith(packagePrefix));
    }

    /** The stack is one of the thread whose run loop is this method: among its first frames. */
    static Predicate<List<String>> threadRoot(String method) {
        return frames -> frames.subList(0, Math.min(THREAD_ROOT_DEPTH, frames.size())).contains(method);
    }

    static String normalize(String frame) {
        return frame.replaceFirst("_\\[[a-z0-9]+\\]$", "").replace('/', '.');
    }

    /**
     * The table, one column per server: µs of CPU per successful token request of the profiled windows, and the
     * CPU per request {@code /proc} measured over the same windows, to show how much of it the profile saw.
     */
    static String table(String labelA, Profile a, long tokensA, double procMicrosA,
                        String labelB, Profile b, long tokensB, double procMicrosB) {
        StringBuilder md = new StringBuilder();
        md.append("| what (µs of CPU per token) | ").append(labelA).append(" | ").append(labelB)
                .append(" | difference |\n|---|---|---|---|\n");
        row(md, "server CPU from `/proc` over the same windows, for comparison", procMicrosA, procMicrosB);
        row(md, "all samples", perToken(a.totalSamples(), tokensA), perToken(b.totalSamples(), tokensB));
        for (int i = 0; i < ROWS.size(); i++) {
            row(md, ROWS.get(i).label(), perToken(a.rowSamples()[i], tokensA), perToken(b.rowSamples()[i], tokensB));
        }
        return md.toString();
    }

    static double perToken(long samples, long tokens) {
        return tokens == 0 ? Double.NaN : (double) samples * MICROS_PER_SAMPLE / tokens;
    }

    private static void row(StringBuilder md, String label, double a, double b) {
        md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %+.1f |\n", label, a, b, b - a));
    }
}
