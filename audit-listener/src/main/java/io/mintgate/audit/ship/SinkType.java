package io.mintgate.audit.ship;

import io.mintgate.audit.format.RecordFormat;
import io.mintgate.audit.options.OptionValues;

import java.nio.file.Path;
import java.util.Set;

/**
 * A kind of sink as the server options know it: its name in the {@code sinks} option, the options it owns, and how
 * they are read into its {@link SinkSettings}. Each sink class declares its own as {@code TYPE};
 * {@link SinkRegistry} lists them.
 *
 * @param options        the option names (without the {@code --spi-events-listener--mintgate-audit--} prefix)
 * @param optionPrefixes beginnings of option families the sink owns ({@code kafka-property-<name>})
 */
public record SinkType(String name, Set<String> options, Set<String> optionPrefixes, Reader reader) {
    public SinkType {
        options = Set.copyOf(options);
        optionPrefixes = Set.copyOf(optionPrefixes);
    }

    public SinkType(String name, Set<String> options, Reader reader) {
        this(name, options, Set.of(), reader);
    }

    /** Whether {@code option} (kebab-case, without the prefix) is one of this sink's. */
    public boolean owns(String option) {
        return options.contains(option) || optionPrefixes.stream().anyMatch(option::startsWith);
    }

    /** Reads a sink's options. */
    @FunctionalInterface
    public interface Reader {
        /**
         * Checks every option of the sink, also when it is not enabled, so that a mistake shows before the sink is
         * switched on (problems go to {@code o}); returns null when the sink is not configured or not usable.
         */
        SinkSettings read(OptionValues o, boolean enabled, Path spoolDir);
    }

    /** The {@code <sink>-format} option every sink has: json (CloudEvents, the default) or ocsf. */
    public static RecordFormat format(OptionValues o, String option) {
        return RecordFormat.parse(o.choice(option, "json", RecordFormat.NAMES));
    }
}
