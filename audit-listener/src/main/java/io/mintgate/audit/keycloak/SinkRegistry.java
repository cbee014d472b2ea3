package io.mintgate.audit.keycloak;

import io.mintgate.audit.format.RecordFormat;
import io.mintgate.audit.ship.FileSinkOptions;
import io.mintgate.audit.ship.SinkSettings;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one place sinks are registered: each name the {@code sinks} option accepts, the server options that belong
 * to it, and the reader that checks them and builds the sink's {@link SinkSettings} (which opens the sink). Adding a
 * sink is its {@code Sink} class, its settings record, its reader and one line in {@link #SINKS}.
 */
final class SinkRegistry {

    /** Reads and checks a sink's options; returns null when {@code enabled} is false or the options are unusable. */
    interface OptionReader {
        SinkSettings read(OptionValues o, boolean enabled, Path spoolDir);
    }

    record Registered(String name, Set<String> options, OptionReader reader) {
    }

    static final List<Registered> SINKS = List.of(
            new Registered("file", Set.of("file-path", "file-max-bytes", "file-format"), SinkRegistry::file),
            new Registered("http", HttpOptions.NAMES, HttpOptions::read),
            new Registered("kafka", KafkaOptions.NAMES, KafkaOptions::read),
            new Registered("syslog", SyslogOptions.NAMES, SyslogOptions::read));

    private SinkRegistry() {
    }

    static List<String> names() {
        return SINKS.stream().map(Registered::name).toList();
    }

    static Set<String> optionNames() {
        return SINKS.stream().flatMap(s -> s.options().stream()).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The settings of the sinks named in {@code enabled}, in that order. Every registered sink's options are
     * checked, also of sinks not enabled, so a mistake shows before the sink is switched on.
     */
    static List<SinkSettings> read(OptionValues o, List<String> enabled, Path spoolDir) {
        Map<String, SinkSettings> byName = new HashMap<>();
        for (Registered sink : SINKS) {
            SinkSettings s = sink.reader().read(o, enabled.contains(sink.name()), spoolDir);
            if (s != null) {
                byName.put(sink.name(), s);
            }
        }
        return enabled.stream().filter(byName::containsKey).map(byName::get).toList();
    }

    /** The {@code <sink>-format} option: json (default) or ocsf. */
    static RecordFormat format(OptionValues o, String name) {
        return RecordFormat.parse(o.choice(name, "json", RecordFormat.NAMES));
    }

    private static SinkSettings file(OptionValues o, boolean enabled, Path spoolDir) {
        Path filePath = o.path("file-path");
        if (filePath == null) {
            filePath = spoolDir.resolve("audit.jsonl"); // checked with spool-dir
        } else if (enabled) {
            OptionFiles.writableFile(o, "file-path", filePath);
        }
        long maxBytes = o.number("file-max-bytes", 100L << 20, 4_096, Long.MAX_VALUE);
        return new FileSinkOptions(filePath, maxBytes, format(o, "file-format"));
    }
}
