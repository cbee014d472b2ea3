package io.mintgate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * async-profiler in one server JVM ({@code -Dbench.profile=true}), profiling the measured windows only: the agent is
 * loaded at the server's start ({@link #agentOption}, idle until told, and loaded early so that the JIT keeps the
 * debug information of inlined frames), and driven with the agent's own commands through {@code jcmd <pid>
 * JVMTI.agent_load <lib> "<command>"} — the same attach that async-profiler's {@code asprof} uses, without needing
 * it. The first window of a grant {@code start}s the profiler (which discards earlier samples), the next ones
 * {@code resume} it, each ends with {@code stop}, and {@link #dump} writes the grant's samples in collapsed form.
 */
final class ServerProfiler {

    /** CPU samples (perf events, every thread of the JVM: request threads, GC, JIT...), one per interval of CPU. */
    static final String EVENT = "event=cpu,interval=" + ProfileAttribution.MICROS_PER_SAMPLE + "us";

    private final String name;
    private final long pid;
    private final Path library;
    private boolean profiledSinceDump;

    ServerProfiler(String name, long pid, Path library) {
        this.name = name;
        this.pid = pid;
        this.library = library;
    }

    /** The JVM option that loads the agent at the start, without starting it. */
    static String agentOption(Path library) {
        return "-agentpath:" + library;
    }

    /** Before a measured window. */
    void beginWindow() {
        command((profiledSinceDump ? "resume," : "start,") + EVENT);
        profiledSinceDump = true;
    }

    /** After it. */
    void endWindow() {
        command("stop");
    }

    /** Writes the samples of the windows since the last dump (none: no file) and lets the next window start afresh. */
    boolean dump(Path collapsed) {
        if (!profiledSinceDump) {
            return false;
        }
        command("dump,collapsed,file=" + collapsed.toAbsolutePath());
        profiledSinceDump = false;
        return true;
    }

    private void command(String command) {
        List<String> jcmd = List.of(jcmd(), Long.toString(pid), "JVMTI.agent_load", library.toString(),
                // quoted: jcmd would otherwise split the agent's "key=value" options as its own arguments
                "\"" + command + "\"");
        try {
            Process p = new ProcessBuilder(jcmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.contains("return code: 0")) {
                // the agent's own error (e.g. "Perf events unavailable") is in the server's log
                throw new IllegalStateException("async-profiler command '" + command + "' failed on server " + name
                        + " (pid " + pid + "): " + out.strip() + " — see the server's log");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + jcmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JDK's jcmd next to the java running this, else the one on the PATH. */
    private static String jcmd() {
        Path next = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Files.isExecutable(next) ? next.toString() : "jcmd";
    }
}
