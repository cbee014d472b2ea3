package io.mintgate.audit.keycloak;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.mintgate.audit.AuditOptions;
import io.mintgate.audit.ship.HttpSink;
import io.mintgate.audit.ship.KafkaSink;
import io.mintgate.audit.ship.SyslogSink;
import io.mintgate.audit.format.RecordFormat;
import io.mintgate.audit.options.InvalidAuditOptionsException;
import io.mintgate.audit.spool.Guarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditOptionsReaderTest {
    private static final String P = "--spi-events-listener--mintgate-audit--";

    @TempDir
    Path dir;

    private Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("spool-dir", dir.resolve("spool").toString());
        return m;
    }

    private AuditOptions read(Map<String, String> options) {
        return AuditOptionsReader.read(new MapScope(options));
    }

    private List<String> problems(Map<String, String> options) {
        try {
            read(options);
        } catch (InvalidAuditOptionsException e) {
            assertThat(e.getMessage()).startsWith("Mintgate audit cannot start: " + e.problems().size()
                    + " invalid server option");
            e.problems().forEach(p -> assertThat(e.getMessage()).contains(p));
            return e.problems();
        }
        throw new AssertionError("the options were accepted: " + options);
    }

    private List<String> problemsWith(String name, String value) {
        Map<String, String> m = base();
        m.put(name, value);
        return problems(m);
    }

    @Test
    void theDefaultsAreLosslessAndValid() {
        AuditOptions o = read(base());
        assertThat(o.guarantee()).isEqualTo(Guarantee.BEFORE_RESPONSE);
        assertThat(o.sinkNames()).containsExactly("file");
        assertThat(o.spoolOptions().commitWindowMs()).isEqualTo(2);
        assertThat(read(Map.of()).spoolDir()).isEqualTo(AuditOptionsReader.defaultSpoolDir());
    }

    @Test
    void aChainIdIsCheckedAtStartAndKeptAsWritten() {
        Map<String, String> m = base();
        m.put("chain-id", "kc-0.eu:west_1");
        assertThat(read(m).chainId()).isEqualTo("kc-0.eu:west_1");
        assertThat(problemsWith("chain-id", "node one"))
                .containsExactly("--spi-events-listener--mintgate-audit--chain-id=node one: expected 1-64 letters,"
                        + " digits, '.', '_', ':' or '-', starting with a letter or digit");
    }

    @Test
    void asyncIsStillAnExplicitChoice() {
        Map<String, String> m = base();
        m.put("guarantee", "async");
        assertThat(read(m).guarantee()).isEqualTo(Guarantee.ASYNC);
    }

    @Test
    void anHttpUrlWithoutAPortNumberFailsTheStartNamingOptionValueAndExpectation() {
        Map<String, String> m = base();
        m.put("sinks", "http");
        m.put("http-url", "http://127.0.0.1:notaport/x");
        assertThat(problems(m)).singleElement().asString()
                .startsWith(P + "http-url=http://127.0.0.1:notaport/x: expected an http or https URL with a host");
    }

    @Test
    void onlyHttpAndHttpsUrlsWithAHostAndAPortInRangeAreAccepted() {
        assertThat(problemsWith("http-url", "ftp://collector.example/audit")).singleElement().asString()
                .contains("http-url=ftp://collector.example/audit").contains("scheme 'ftp'");
        assertThat(problemsWith("http-url", "https://collector.example:70000/audit")).singleElement().asString()
                .contains("port 70000");
        assertThat(problemsWith("http-url", "collector.example/audit")).singleElement().asString()
                .contains("scheme 'null'");
        Map<String, String> ok = base();
        ok.put("sinks", "http");
        ok.put("http-url", "https://collector.example:8443/audit");
        assertThat(read(ok).sink(HttpSink.Settings.class).url().getPort()).isEqualTo(8443);
    }

    @Test
    void aStringThatIsNoUrlIsReportedInWordsNotAsAUriSyntaxException() {
        assertThat(problemsWith("http-url", "http://exa mple/audit")).singleElement().asString()
                .startsWith(P + "http-url=http://exa mple/audit: expected an http or https URL")
                .contains("not a URL: Illegal character in authority at index");
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutShowingThem() {
        assertThat(problemsWith("http-url", "https://user:s3cret@collector.example/")).singleElement().asString()
                .contains("http-url=(hidden)").doesNotContain("s3cret");
    }

    @Test
    void numbersMustBeWholeAndInRange() {
        assertThat(problemsWith("async-max-delay-ms", "soon")).singleElement().asString()
                .isEqualTo(P + "async-max-delay-ms=soon: expected a whole number from 1 to 86400000");
        assertThat(problemsWith("queue-capacity", "0")).singleElement().asString()
                .contains("queue-capacity=0: expected a whole number from 1 to 16777216");
        assertThat(problemsWith("spool-max-bytes", "1000")).singleElement().asString()
                .contains("spool-max-bytes=1000: expected a whole number of at least 16384");
        assertThat(problemsWith("checkpoint-every-records", "-1")).hasSize(1);
        assertThat(problemsWith("commit-window-ms", "250")).singleElement().asString()
                .isEqualTo(P + "commit-window-ms=250: expected a whole number from 0 to 100");
        assertThat(problemsWith("batch-records", "1e3")).hasSize(1);
        Map<String, String> backoff = base();
        backoff.put("backoff-base-ms", "5000");
        backoff.put("backoff-max-ms", "1000");
        assertThat(problems(backoff)).singleElement().asString()
                .contains("backoff-max-ms=1000: expected at least backoff-base-ms (5000)");
    }

    @Test
    void enumsAndBooleansAcceptOnlyTheirSpellings() {
        assertThat(problemsWith("guarantee", "eventually")).singleElement().asString()
                .isEqualTo(P + "guarantee=eventually: expected one of before-response, async");
        assertThat(problemsWith("full-policy", "drop-newest")).singleElement().asString()
                .contains("one of fail-closed, drop-oldest");
        assertThat(problemsWith("global", "yes")).singleElement().asString().contains("global=yes: expected true or false");
        assertThat(problemsWith("kinds", "token-issued,token-minted")).singleElement().asString()
                .contains("kinds=token-issued,token-minted").contains("(unknown: token-minted)");
        assertThat(problemsWith("kafka-compression", "snappy")).singleElement().asString()
                .contains("one of none, gzip");
    }

    @Test
    void theSinksListKnowsItsSinksAndEachEnabledSinkNeedsItsTarget() {
        assertThat(problemsWith("sinks", "file,s3")).singleElement().asString()
                .contains("sinks=file,s3: expected a comma-separated list of file, http, kafka, syslog, none (unknown: s3)");
        assertThat(problemsWith("sinks", "http,kafka"))
                .containsExactlyInAnyOrder(
                        P + "http-url is not set: the http sink is in 'sinks' and needs the collector's URL",
                        P + "kafka-bootstrap-servers is not set: the kafka sink is in 'sinks' and needs host:port of the brokers");
        assertThat(problemsWith("sinks", "none,file")).hasSize(1);
        Map<String, String> none = base();
        none.put("sinks", "none");
        assertThat(read(none).sinks()).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, String> m = base();
        m.put("sinks", "file,http");
        m.put("http-url", "ftp://x/");
        m.put("guarantee", "maybe");
        m.put("queue-capacity", "many");
        m.put("guarentee", "async");
        List<String> problems = problems(m);
        assertThat(problems).hasSize(4);
        assertThat(problems).contains(P + "guarentee is not an option of mintgate-audit (misspelt?); the options are "
                + "listed in docs/audit-operations.md");
    }

    @Test
    void optionNamesAreCheckedAsKeycloakEnumeratesThem() {
        // Keycloak 26.7 enumerates the full property names; Config.Scope#get takes the short ones.
        Map<String, String> m = new HashMap<>(base());
        Map<String, String> enumerated = new HashMap<>();
        m.put("kafka-property-linger-ms", "20");
        m.put("sinks", "kafka");
        m.put("kafka-bootstrap-servers", "broker:9092");
        for (String name : m.keySet()) {
            enumerated.put("kc.spi-events-listener--mintgate-audit--" + name, m.get(name));
        }
        enumerated.put("kc.spi-events-listener--mintgate-audit--spool-dri", "/tmp/x");
        MapScope scope = new MapScope(m) {
            @Override
            public java.util.Set<String> getPropertyNames() {
                return enumerated.keySet();
            }
        };
        assertThatThrownBy(() -> AuditOptionsReader.read(scope)).isInstanceOf(InvalidAuditOptionsException.class)
                .hasMessageEndingWith(P + "spool-dri is not an option of mintgate-audit (misspelt?); the options are "
                        + "listed in docs/audit-operations.md");
        enumerated.remove("kc.spi-events-listener--mintgate-audit--spool-dri");
        assertThat(AuditOptionsReader.read(scope).sink(KafkaSink.Settings.class).properties()).containsEntry("linger.ms", "20");
    }

    @Test
    void secretValuesNeverAppearInAProblem() throws Exception {
        Map<String, String> m = base();
        m.put("http-bearer-token", "tok en-s3cret");
        m.put("http-hmac-secret", "short-s3cret");
        m.put("http-truststore-password", "pw-s3cret");
        Path keystore = dir.resolve("client.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (OutputStream out = Files.newOutputStream(keystore)) {
            ks.store(out, "right-password".toCharArray());
        }
        m.put("http-keystore", keystore.toString());
        m.put("http-keystore-password", "wrong-s3cret");
        List<String> problems = problems(m);
        assertThat(problems).hasSize(4).allSatisfy(p -> assertThat(p).doesNotContain("s3cret"));
        assertThat(problems).contains(P + "http-bearer-token=(hidden): expected printable ASCII without spaces or "
                        + "line breaks (RFC 6750 b64token)",
                P + "http-hmac-secret=(hidden): expected at least 16 characters",
                P + "http-truststore-password=(hidden): expected only together with http-truststore",
                P + "http-keystore=" + keystore + ": expected a PKCS#12 or JKS keystore that opens with "
                        + "http-keystore-password; it does not (wrong password, or not a keystore)");
        m.put("http-keystore-password", "right-password");
        m.remove("http-bearer-token");
        m.remove("http-hmac-secret");
        m.remove("http-truststore-password");
        read(m);
    }

    @Test
    void pathsAndKeyFilesMustBeUsable() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThat(problemsWith("spool-dir", file.toString())).singleElement().asString()
                .contains("spool-dir=" + file + ": expected a directory; it is a file");
        assertThat(problemsWith("file-path", dir.toString())).singleElement().asString()
                .contains("a file; it is a directory");
        assertThat(problemsWith("checkpoint-key", dir.resolve("missing.jwk").toString())).singleElement().asString()
                .contains("it does not exist");
        Path notJwk = Files.writeString(dir.resolve("key.jwk"), "-----BEGIN PRIVATE KEY-----");
        assertThat(problemsWith("checkpoint-key", notJwk.toString())).singleElement().asString()
                .contains("is not a JWK").doesNotContain("BEGIN PRIVATE KEY");
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        Path publicOnly = Files.writeString(dir.resolve("public.jwk"), key.toPublicJWK().toJSONString());
        assertThat(problemsWith("checkpoint-key", publicOnly.toString())).singleElement().asString()
                .contains("no private part");
        Path p384 = Files.writeString(dir.resolve("p384.jwk"), new ECKeyGenerator(Curve.P_384).generate().toJSONString());
        assertThat(problemsWith("checkpoint-key", p384.toString())).singleElement().asString().contains("EC P-384");
        Path good = Files.writeString(dir.resolve("good.jwk"), key.toJSONString());
        Map<String, String> m = base();
        m.put("checkpoint-key", good.toString());
        assertThat(read(m).checkpointKey()).isEqualTo(good);
    }

    @Test
    void kafkaSettingsAreCheckedAsTheProducerWouldCheckThem() throws Exception {
        Map<String, String> m = base();
        m.put("sinks", "kafka");
        m.put("kafka-bootstrap-servers", "broker-1:9092,broker-2");
        m.put("kafka-topic", "audit trail");
        assertThat(problems(m)).containsExactlyInAnyOrder(
                P + "kafka-bootstrap-servers=broker-1:9092,broker-2: expected a comma-separated list of host:port "
                        + "with ports from 1 to 65535",
                P + "kafka-topic=audit trail: expected a Kafka topic name: 1 to 249 of a-z, A-Z, 0-9, '.', '_', '-'");

        Map<String, String> props = base();
        props.put("sinks", "kafka");
        props.put("kafka-bootstrap-servers", "broker-1:9092");
        props.put("kafka-property-acks", "sometimes");
        props.put("kafka-property-no-such-thing", "1");
        List<String> problems = problems(props);
        assertThat(problems).hasSize(2);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(P + "kafka-property-no-such-thing=...")
                .contains("'no.such.thing' is not one"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("sometimes").contains("acks"));

        props.remove("kafka-property-no-such-thing");
        props.put("kafka-property-acks", "all");
        props.put("kafka-property-sasl-jaas-config", "org.example.Login required password=\"s3cret\";");
        Path file = Files.writeString(dir.resolve("producer.properties"), "linger.ms=20\nretries=many\n");
        props.put("kafka-properties-file", file.toString());
        assertThat(problems(props)).singleElement().asString().contains("retries").doesNotContain("s3cret");
        Files.writeString(file, "linger.ms=20\n");
        assertThat(read(props).sink(KafkaSink.Settings.class).properties()).containsEntry("linger.ms", "20").containsEntry("acks", "all");
        props.put("kafka-properties-file", dir.resolve("missing.properties").toString());
        assertThat(problems(props)).singleElement().asString().contains("expected a readable Java properties file");
    }

    @Test
    void syslogOptionsAreCheckedAtStartAndNamedInEachProblem() throws Exception {
        Map<String, String> missing = base();
        missing.put("sinks", "syslog");
        assertThat(problems(missing)).containsExactly(
                P + "syslog-host is not set: the syslog sink is in 'sinks' and needs the receiver's host");

        Map<String, String> bad = base();
        bad.put("sinks", "syslog");
        bad.put("syslog-host", "siem.example");
        bad.put("syslog-transport", "tcp");
        bad.put("syslog-ca-file", dir.resolve("no-such-ca.pem").toString());
        bad.put("syslog-facility", "security");
        bad.put("syslog-app-name", "mint gate");
        bad.put("syslog-sd-id", "mintgate");
        bad.put("syslog-format", "cef");
        bad.put("syslog-port", "0");
        List<String> problems = problems(bad);
        assertThat(problems).anyMatch(p -> p.startsWith(P + "syslog-ca-file=" + dir.resolve("no-such-ca.pem")
                + ": expected a readable PEM file"));
        assertThat(problems).anyMatch(p -> p.startsWith(P + "syslog-ca-file=") && p.contains("only with syslog-transport=tls"));
        assertThat(problems).anyMatch(p -> p.startsWith(P + "syslog-facility=security: expected a facility keyword"));
        assertThat(problems).anyMatch(p -> p.startsWith(P + "syslog-app-name=mint gate: expected 1 to 48"));
        assertThat(problems).anyMatch(p -> p.startsWith(P + "syslog-sd-id=mintgate: expected name@"));
        assertThat(problems).anyMatch(p -> p.startsWith(P + "syslog-format=cef: expected one of json, ocsf"));
        assertThat(problems).anyMatch(p -> p.startsWith(P + "syslog-port=0: expected a whole number from 1 to 65535"));
        assertThat(problems).hasSize(7);

        Map<String, String> ok = base();
        ok.put("sinks", "file,syslog");
        ok.put("syslog-host", "siem.example");
        ok.put("syslog-format", "ocsf");
        ok.put("syslog-hostname", "kc-0");
        SyslogSink.Settings syslog = read(ok).sink(SyslogSink.Settings.class);
        assertThat(syslog.tls()).isTrue();
        assertThat(syslog.port()).isEqualTo(6514);
        assertThat(syslog.facility()).isEqualTo(10);
        assertThat(syslog.format()).isEqualTo(RecordFormat.OCSF);
        assertThat(syslog.hostname()).isEqualTo("kc-0");
        assertThat(read(ok).sinkNames()).containsExactly("file", "syslog");
    }

    @Test
    void everyOptionIsInTheOptionsTableOfTheOperationsGuide() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "audit-operations.md"));
        for (String option : AuditOptionsReader.KNOWN) {
            if (!option.equals("enabled")) {
                assertThat(doc).as("docs/audit-operations.md documents %s", option).contains("`" + option + "`");
            }
        }
    }
}
