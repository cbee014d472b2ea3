package io.mintgate.audit.ship;

import io.mintgate.audit.options.OptionValues;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one place sinks are registered: the {@code sinks} option, the check for unknown options and the start-up
 * validation all follow {@link #SINKS}. Adding a sink is its class (with its {@link SinkType} {@code TYPE} and its
 * settings record) and one line here.
 */
public final class SinkRegistry {

    public static final List<SinkType> SINKS = List.of(FileSink.TYPE, HttpSink.TYPE, KafkaSink.TYPE, SyslogSink.TYPE);

    private SinkRegistry() {
    }

    public static List<String> names() {
        return SINKS.stream().map(SinkType::name).toList();
    }

    public static Set<String> optionNames() {
        return SINKS.stream().flatMap(s -> s.options().stream()).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether {@code option} (kebab-case, without the prefix) belongs to a registered sink. */
    public static boolean owns(String option) {
        return SINKS.stream().anyMatch(s -> s.owns(option));
    }

    /**
     * The settings of the sinks named in {@code enabled}, in that order. Every registered sink's options are
     * checked, also of sinks not enabled, so a mistake shows before the sink is switched on.
     */
    public static List<SinkSettings> read(OptionValues o, List<String> enabled, Path spoolDir) {
        Map<String, SinkSettings> byName = new HashMap<>();
        for (SinkType sink : SINKS) {
            SinkSettings s = sink.reader().read(o, enabled.contains(sink.name()), spoolDir);
            if (s != null) {
                byName.put(sink.name(), s);
            }
        }
        return enabled.stream().filter(byName::containsKey).map(byName::get).toList();
    }
}
