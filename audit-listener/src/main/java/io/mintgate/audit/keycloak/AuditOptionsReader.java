package io.mintgate.audit.keycloak;

import io.mintgate.audit.AuditOptions;
import io.mintgate.audit.chain.ChainId;
import io.mintgate.audit.record.AuditKind;
import io.mintgate.audit.options.InvalidAuditOptionsException;
import io.mintgate.audit.options.OptionFiles;
import io.mintgate.audit.options.OptionValues;
import io.mintgate.audit.ship.SinkRegistry;
import io.mintgate.audit.ship.SinkSettings;
import io.mintgate.audit.spool.FullPolicy;
import io.mintgate.audit.spool.Guarantee;
import org.keycloak.Config;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads and validates the server options of {@code --spi-events-listener--mintgate-audit--<option>} (Keycloak passes
 * the part after the provider as a kebab-case key to {@link Config.Scope#get}). Every option is checked at start;
 * all problems are reported together in one {@link InvalidAuditOptionsException}, so a wrong URL or number fails
 * the start rather than piling records up in the spool. Secrets live in server options (or their env-var and
 * keystore equivalents), never in realm configuration, so realm exports cannot leak them.
 */
public final class AuditOptionsReader {
    private static final List<String> SINKS = Stream.concat(SinkRegistry.names().stream(), Stream.of("none")).toList();
    static final Set<String> KNOWN = Stream.concat(SinkRegistry.optionNames().stream(), Stream.of("global", "kinds",
            "spool-dir", "guarantee", "async-max-delay-ms", "commit-window-ms", "busy-commit-window-ms",
            "before-response-timeout-ms", "spool-max-bytes",
            "spool-max-records", "full-policy", "segment-max-bytes", "queue-capacity", "sinks",
            "checkpoint-every-records", "checkpoint-every-ms", "checkpoint-key", "batch-records", "backoff-base-ms",
            "backoff-max-ms", "chain-id",
            // Keycloak's own switch for any provider.
            "enabled")).collect(Collectors.toUnmodifiableSet());
    private static final long DAY_MS = 86_400_000L;

    private AuditOptionsReader() {
    }

    /** @throws InvalidAuditOptionsException listing every invalid option */
    public static AuditOptions read(Config.Scope c) {
        OptionValues o = new OptionValues(c::get, c::getPropertyNames);
        unknownNames(o);
        Path spoolDir = o.path("spool-dir");
        if (spoolDir == null) {
            spoolDir = defaultSpoolDir();
        }
        OptionFiles.directory(o, "spool-dir", spoolDir);
        AuditOptions d = AuditOptions.defaults(spoolDir);

        List<String> sinks = o.list("sinks", "file", SINKS);
        if (sinks.contains("none") && sinks.size() > 1) {
            o.problem("sinks", o.text("sinks"), "'none' alone, or a list of " + String.join(", ", SinkRegistry.names()));
        }
        sinks = sinks.stream().filter(s -> !s.equals("none")).toList();

        List<SinkSettings> sinkSettings = SinkRegistry.read(o, sinks, spoolDir);

        long checkpointRecords = o.number("checkpoint-every-records", d.checkpointEveryRecords(), 0, Long.MAX_VALUE);
        long checkpointMs = o.number("checkpoint-every-ms", d.checkpointEveryMs(), 0, 7 * DAY_MS);
        Path checkpointKey = o.path("checkpoint-key");
        if (checkpointKey != null) {
            OptionFiles.signingKey(o, "checkpoint-key", checkpointKey);
        }
        String chainId = chainId(o);
        long backoffBase = o.number("backoff-base-ms", d.backoffBaseMs(), 1, DAY_MS);
        long backoffMax = o.number("backoff-max-ms", d.backoffCapMs(), 1, DAY_MS);
        if (backoffMax < backoffBase) {
            o.problem("backoff-max-ms", Long.toString(backoffMax), "at least backoff-base-ms (" + backoffBase + ")");
        }

        AuditOptions options = new AuditOptions(spoolDir,
                Guarantee.parse(o.choice("guarantee", "before-response", List.of("before-response", "async"))),
                o.number("async-max-delay-ms", d.asyncMaxDelayMs(), 1, DAY_MS),
                o.number("before-response-timeout-ms", d.beforeResponseTimeoutMs(), 1, DAY_MS),
                // Drop-oldest frees whole segments, at least four of them fit (segments are 4 KiB at least).
                o.number("spool-max-bytes", d.spoolMaxBytes(), 16_384, Long.MAX_VALUE),
                o.number("spool-max-records", d.spoolMaxRecords(), 1, Long.MAX_VALUE),
                FullPolicy.parse(o.choice("full-policy", "fail-closed", List.of("fail-closed", "drop-oldest"))),
                o.number("segment-max-bytes", d.segmentMaxBytes(), 4_096, 1L << 30),
                (int) o.number("queue-capacity", d.queueCapacity(), 1, 1 << 24),
                sinkSettings, checkpointRecords, checkpointMs, checkpointKey,
                kinds(o),
                o.bool("global", false),
                (int) o.number("batch-records", d.batchRecords(), 1, 100_000),
                backoffBase, backoffMax, chainId,
                o.number("commit-window-ms", d.commitWindowMs(), 0, 100),
                o.number("busy-commit-window-ms", d.busyCommitWindowMs(), 0, 100));
        o.failIfAny();
        return options;
    }

    /** The {@code chain-id} option, checked at start like every other (the spool applies it to a new spool only). */
    private static String chainId(OptionValues o) {
        String value = o.text("chain-id");
        if (value != null) {
            try {
                new ChainId(value);
            } catch (IllegalArgumentException e) {
                o.problem("chain-id", value, "1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
                return null;
            }
        }
        return value;
    }

    /** {@code ${kc.home.dir}/data/mintgate-audit}, next to Keycloak's own data directory. */
    static Path defaultSpoolDir() {
        String home = System.getProperty("kc.home.dir", ".");
        return Path.of(home, "data", "mintgate-audit");
    }

    /** A misspelt option would otherwise be ignored silently and its default used. */
    private static void unknownNames(OptionValues o) {
        for (String name : o.names()) {
            // Environment variables and config sources may spell a name with underscores or dots.
            String key = name.toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
            if (!KNOWN.contains(key) && !SinkRegistry.owns(key)) {
                o.unknown(name);
            }
        }
    }

    private static Set<AuditKind> kinds(OptionValues o) {
        List<String> allowed = Stream.concat(Stream.of("all"), Stream.of(AuditKind.values()).map(AuditKind::optionName))
                .toList();
        List<String> names = o.list("kinds", "all", allowed);
        if (names.contains("all") || names.isEmpty()) {
            return EnumSet.allOf(AuditKind.class);
        }
        return names.stream().map(n -> AuditKind.valueOf(n.toUpperCase(Locale.ROOT).replace('-', '_')))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(AuditKind.class)));
    }
}
