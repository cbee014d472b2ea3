package io.mintgate.audit.ship;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.TestRecords;
import io.mintgate.audit.format.RecordFormat;
import io.mintgate.audit.record.RecordJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The syslog sink against a plain TCP listener that parses RFC 6587 octet-counted frames itself (the real receiver,
 * rsyslog, is in it-tests' SyslogSinkIT): framing, RFC 5424 header and structured data, the record after a BOM,
 * and a reconnect when the receiver drops the connection.
 */
class SyslogSinkTest {
    private static final Pattern RFC5424 = Pattern.compile(
            "<(\\d{1,3})>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\[.*?(?<!\\\\)]) \uFEFF(.*)", Pattern.DOTALL);

    @TempDir
    Path dir;
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<String> messages = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean dropAfterFirst = true;

    SyslogSinkTest() throws IOException {
        Thread t = new Thread(this::receive, "syslog-test-receiver");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private void receive() {
        while (!server.isClosed()) {
            try (Socket s = server.accept(); DataInputStream in = new DataInputStream(s.getInputStream())) {
                while (true) {
                    StringBuilder len = new StringBuilder();
                    int c;
                    while ((c = in.read()) != ' ') {
                        if (c < 0) {
                            throw new EOFException();
                        }
                        len.append((char) c);
                    }
                    byte[] msg = new byte[Integer.parseInt(len.toString())];
                    in.readFully(msg);
                    messages.add(new String(msg, StandardCharsets.UTF_8));
                    if (dropAfterFirst) {
                        dropAfterFirst = false;
                        break; // the receiver restarts: this connection is closed, the next one is accepted
                    }
                }
            } catch (IOException e) {
                // connection ended; accept the next
            }
        }
    }

    private SyslogSink.Settings options(RecordFormat format) {
        return new SyslogSink.Settings("127.0.0.1", server.getLocalPort(), false, null, null, null, null, null,
                "mintgate", "kc-1", 10, "mintgate@32473", format, 5_000);
    }

    @Test
    void eachRecordIsOneOctetCountedRfc5424MessageWithTheChainInStructuredData() throws Exception {
        dropAfterFirst = false;
        try (AuditPipeline pipeline = AuditPipeline.start(TestRecords.options(dir).toBuilder()
                .sinks(new FileSink.Settings(dir.resolve("audit.jsonl"), 1L << 20, RecordFormat.JSON),
                        options(RecordFormat.JSON)).build(), new SimpleMeterRegistry())) {
            pipeline.append(TestRecords.issued("orders-svc"));
            pipeline.append(TestRecords.denied());
            assertThat(pipeline.awaitShipped(10_000)).isTrue();
        }
        List<String> fileLines = Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8);
        assertThat(messages).hasSize(fileLines.size());
        for (int i = 0; i < messages.size(); i++) {
            Matcher m = RFC5424.matcher(messages.get(i));
            assertThat(m.matches()).as("RFC 5424 message: %s", messages.get(i)).isTrue();
            JsonNode record = RecordJson.parse(m.group(8).getBytes(StandardCharsets.UTF_8));
            assertThat(m.group(8)).isEqualTo(fileLines.get(i));
            boolean denied = record.path("type").asText().equals("io.mintgate.token.denied");
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(10 * 8 + (denied ? 4 : 6));
            assertThat(m.group(3)).isEqualTo("kc-1");
            assertThat(m.group(4)).isEqualTo("mintgate");
            assertThat(m.group(6)).isEqualTo(record.path("type").asText().substring("io.mintgate.".length()));
            assertThat(m.group(7)).startsWith("[mintgate@32473 id=\"" + record.path("id").asText() + "\"")
                    .contains(" seq=\"" + record.path("mintgateseq").asLong() + "\"")
                    .contains(" hash=\"" + record.path("mintgatehash").asText() + "\"")
                    .contains(" prev=\"" + record.path("mintgateprev").asText() + "\"");
        }
        assertThat(messages.get(1)).contains(" decision=\"d-2\" outcome=\"deny\"]");
    }

    @Test
    void aReceiverThatDropsTheConnectionGetsTheNextBatchOnANewOne() throws Exception {
        try (AuditPipeline pipeline = AuditPipeline.start(TestRecords.options(dir).toBuilder()
                .sinks(options(RecordFormat.OCSF)).build(), new SimpleMeterRegistry())) {
            pipeline.append(TestRecords.issued("first"));
            assertThat(pipeline.awaitShipped(10_000)).isTrue();
            long deadline = System.currentTimeMillis() + 5_000;
            while (dropAfterFirst && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(100); // the receiver has closed its end
            pipeline.append(TestRecords.issued("second"));
            assertThat(pipeline.awaitShipped(10_000)).isTrue();
            deadline = System.currentTimeMillis() + 5_000;
            while (messages.size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
        }
        assertThat(messages).hasSize(2);
        assertThat(messages.get(1)).contains("\"service\":{\"name\":\"second\"}").contains("\"class_uid\":3002");
    }
}
