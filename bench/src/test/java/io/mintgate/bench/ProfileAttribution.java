package io.mintgate.bench;

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
    private static final String EXECUTOR = "io.mintgate.authorizer.keycloak.enforce.IssuanceAuthorizerExecutor.executeOnEvent";

    /** RSA private-key operations: the RS256 signatures of the tokens (see {@link #perSignature}). */
    static final String RSA_CORE = "sun.security.rsa.RSACore";
    static final String RSA_LABEL = "RSA signing (`sun.security.rsa.RSACore`)";

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
                    frame(EXECUTOR).and(frame("io.mintgate.authorizer.keycloak.context.IssuanceRequests.forEvent"))),
            new Row("&nbsp;&nbsp;of which policy evaluation (`PolicySet.evaluate`)",
                    frame(EXECUTOR).and(frame("io.mintgate.authorizer.policy.PolicySet.evaluate"))),
            new Row("Mintgate post-processor (`IssuancePostProcessor`)",
                    under("io.mintgate.authorizer.keycloak.enforce.IssuancePostProcessor")),
            new Row("Mintgate token mappers (`io/mintgate/authorizer/keycloak/mappers`)",
                    under("io.mintgate.authorizer.keycloak.mappers")),
            new Row("audit listener on the request thread (`MintgateAuditListener`, `AfterCommitAppend`)",
                    under("io.mintgate.audit.keycloak.MintgateAuditListener")
                            .or(under("io.mintgate.audit.keycloak.AfterCommitAppend"))),
            new Row("audit writer thread (`Spool.runWriter`)", threadRoot("io.mintgate.audit.spool.Spool.runWriter")),
            new Row("audit shipper thread(s) (`Shipper.run`)", threadRoot("io.mintgate.audit.ship.Shipper.run")),
            new Row("all stacks with `io/mintgate` frames", under("io.mintgate")),
            new Row(RSA_LABEL, under(RSA_CORE)));


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

    /**
     * The two servers' CPU in units of one RSA signature: all samples over the samples in {@link #RSA_CORE}, and A's
     * figure over B's. Both servers sign the same tokens with the same key (same realm, same requests), and an RSA
     * signature's CPU does not depend on anything Mintgate does (a fixed modular exponentiation, on a working set that
     * fits any cache), so it times the machine at the moment of each sample: dividing by it cancels the VM's speed
     * changes that make the rounds' {@code /proc} figures swing by ±25%. What it cannot cancel is what it assumes
     * away: anything that slows all code alike (the clock rate; it would hide such a cost), and the choices of one
     * JVM pair (JIT, code layout), which only more pairs average out. Null when a profile has no RSA samples (a realm
     * signing with another algorithm).
     */
    static String perSignature(String labelA, Profile a, String labelB, Profile b) {
        int rsa = ROWS.size() - 1;
        long signA = a.rowSamples()[rsa];
        long signB = b.rowSamples()[rsa];
        if (signA == 0 || signB == 0) {
            return null;
        }
        double unitsA = (double) a.totalSamples() / signA;
        double unitsB = (double) b.totalSamples() / signB;
        int mintgate = ROWS.size() - 2;
        return String.format(Locale.ROOT, "**CPU in RSA signatures** (all samples over RSA signing samples, a measure the"
                        + " machine's speed changes cancel out of): %s %.3f, %s %.3f; **ratio %s/%s %.3f**; of %s's, "
                        + "stacks with `io/mintgate` frames %.3f, the rest %.3f.%n", labelA, unitsA, labelB, unitsB,
                labelA, labelB, unitsA / unitsB, labelB, (double) b.rowSamples()[mintgate] / signB,
                (double) (b.totalSamples() - b.rowSamples()[mintgate]) / signB);
    }

    static double perToken(long samples, long tokens) {
        return tokens == 0 ? Double.NaN : (double) samples * MICROS_PER_SAMPLE / tokens;
    }

    private static void row(StringBuilder md, String label, double a, double b) {
        md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %+.1f |\n", label, a, b, b - a));
    }
}
