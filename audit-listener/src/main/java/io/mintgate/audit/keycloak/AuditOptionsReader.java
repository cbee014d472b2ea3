package io.mintgate.audit.keycloak;

import io.mintgate.audit.AuditOptions;
import io.mintgate.audit.record.AuditKind;
import io.mintgate.audit.ship.HttpSinkOptions;
import io.mintgate.audit.ship.KafkaSinkOptions;
import io.mintgate.audit.spool.FullPolicy;
import io.mintgate.audit.spool.Guarantee;
import org.keycloak.Config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the server options of {@code --spi-events-listener--mintgate-audit--<option>} (Keycloak passes the part after
 * the provider as a kebab-case key to {@link Config.Scope#get}). Secrets live in server options (or their env-var and
 * keystore equivalents), never in realm configuration, so realm exports cannot leak them.
 */
public final class AuditOptionsReader {
    public static final String KAFKA_PROPERTY_PREFIX = "kafka-property-";

    private AuditOptionsReader() {
    }

    public static AuditOptions read(Config.Scope c) {
        Path spoolDir = Path.of(c.get("spool-dir", defaultSpoolDir().toString()));
        AuditOptions d = AuditOptions.defaults(spoolDir);
        List<String> sinks = list(c.get("sinks", "file"));
        HttpSinkOptions http = null;
        String url = c.get("http-url");
        if (url != null) {
            http = new HttpSinkOptions(URI.create(url), c.get("http-bearer-token"), c.get("http-hmac-secret"),
                    path(c.get("http-keystore")), c.get("http-keystore-password"), path(c.get("http-truststore")),
                    c.get("http-truststore-password"), c.getLong("http-timeout-ms", 10_000L));
        }
        KafkaSinkOptions kafka = null;
        String bootstrap = c.get("kafka-bootstrap-servers");
        if (bootstrap != null) {
            kafka = new KafkaSinkOptions(bootstrap, c.get("kafka-topic", "mintgate-audit"),
                    c.get("kafka-compression", "none"), kafkaProperties(c));
        }
        return new AuditOptions(spoolDir,
                Guarantee.parse(c.get("guarantee", "async")),
                c.getLong("async-max-delay-ms", d.asyncMaxDelayMs()),
                c.getLong("before-response-timeout-ms", d.beforeResponseTimeoutMs()),
                c.getLong("spool-max-bytes", d.spoolMaxBytes()),
                c.getLong("spool-max-records", d.spoolMaxRecords()),
                FullPolicy.parse(c.get("full-policy", "fail-closed")),
                c.getLong("segment-max-bytes", d.segmentMaxBytes()),
                c.getInt("queue-capacity", d.queueCapacity()),
                sinks,
                Path.of(c.get("file-path", spoolDir.resolve("audit.jsonl").toString())),
                c.getLong("file-max-bytes", d.fileMaxBytes()),
                http, kafka,
                c.getLong("checkpoint-every-records", d.checkpointEveryRecords()),
                c.getLong("checkpoint-every-ms", d.checkpointEveryMs()),
                path(c.get("checkpoint-key")),
                AuditKind.parseList(c.get("kinds")),
                c.getBoolean("global", false),
                c.getInt("batch-records", d.batchRecords()),
                c.getLong("backoff-base-ms", d.backoffBaseMs()),
                c.getLong("backoff-max-ms", d.backoffCapMs()),
                c.get("chain-id"));
    }

    /** {@code ${kc.home.dir}/data/mintgate-audit}, next to Keycloak's own data directory. */
    static Path defaultSpoolDir() {
        String home = System.getProperty("kc.home.dir", ".");
        return Path.of(home, "data", "mintgate-audit");
    }

    /**
     * Producer properties from {@code kafka-properties-file} (a Java properties file: the dependable way, since it
     * keeps dots and needs no option enumeration) and from {@code kafka-property-<name>} options, where dashes in
     * {@code <name>} become dots ({@code kafka-property-security-protocol=SSL} -> {@code security.protocol=SSL}).
     */
    static Map<String, String> kafkaProperties(Config.Scope c) {
        Map<String, String> props = new LinkedHashMap<>();
        String file = c.get("kafka-properties-file");
        if (file != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read kafka-properties-file " + file, e);
            }
            p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
        }
        for (String name : c.getPropertyNames()) {
            if (name.startsWith(KAFKA_PROPERTY_PREFIX)) {
                String value = c.get(name);
                if (value != null) {
                    props.put(name.substring(KAFKA_PROPERTY_PREFIX.length()).replace('-', '.').toLowerCase(Locale.ROOT),
                            value);
                }
            }
        }
        return props;
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(s -> s.toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty() && !s.equals("none")).distinct().toList();
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
