package io.mintgate.audit.ship;

import io.mintgate.audit.options.OptionValues;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A sink is its class plus one line in {@link SinkRegistry#SINKS}: everything else follows the list. */
class SinkRegistryTest {

    @Test
    void everySinkOwnsOnlyOptionsNamedAfterIt() {
        Set<String> seen = new HashSet<>();
        for (SinkType type : SinkRegistry.SINKS) {
            assertThat(type.options()).allMatch(o -> o.startsWith(type.name() + "-"), "options of " + type.name());
            assertThat(type.optionPrefixes()).allMatch(p -> p.startsWith(type.name() + "-"));
            assertThat(type.options()).allMatch(seen::add, "an option owned by two sinks");
        }
        assertThat(SinkRegistry.names()).containsExactly("file", "http", "kafka", "syslog");
    }

    @Test
    void theSettingsASinkReadsNameTheSinkTheyOpen() {
        Map<String, String> values = new HashMap<>(Map.of("http-url", "https://collector.example/audit",
                "kafka-bootstrap-servers", "broker:9092", "syslog-host", "siem.example", "syslog-transport", "tcp"));
        OptionValues o = new OptionValues(values::get, () -> values.keySet());
        List<SinkSettings> settings = SinkRegistry.read(o, List.of("syslog", "file", "http", "kafka"), Path.of("spool"));
        o.failIfAny();
        assertThat(settings).extracting(SinkSettings::name).containsExactly("syslog", "file", "http", "kafka");
        assertThat(settings.get(0)).isInstanceOf(SyslogSink.Settings.class);
        assertThat(((FileSink.Settings) settings.get(1)).path()).isEqualTo(Path.of("spool", "audit.jsonl"));
    }

    @Test
    void optionFamiliesBelongToTheirSinkAndNothingElseDoes() {
        assertThat(SinkRegistry.owns("kafka-property-security-protocol")).isTrue();
        assertThat(SinkRegistry.owns("syslog-port")).isTrue();
        assertThat(SinkRegistry.owns("syslog-property-x")).isFalse();
        assertThat(SinkRegistry.owns("spool-dir")).isFalse();
    }
}
