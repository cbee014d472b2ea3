package io.mintgate.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A real syslog receiver: Debian's rsyslogd, started with a config of its own in {@code <work>/syslog}, listening on
 * two loopback ports with imtcp (octet-counted framing, RFC 6587): one plain TCP, one TLS with the gtls driver
 * (RFC 5425) and a server certificate issued by a CA the harness generates with openssl. Each input writes what
 * rsyslog parsed of every message (PRI, HOSTNAME, APP-NAME, PROCID, MSGID, STRUCTURED-DATA, MSG) as one JSON line to
 * {@code tcp.log} / {@code tls.log}, which the tests read. Needs {@code rsyslogd} with the gtls driver
 * ({@code apt-get install rsyslog rsyslog-gnutls}) and {@code openssl}; {@code .ci/run} installs them.
 */
public final class SyslogReceiver implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int tcpPort;
    private final int tlsPort;

    private SyslogReceiver(Process process, Path dir, int tcpPort, int tlsPort) {
        this.process = process;
        this.dir = dir;
        this.tcpPort = tcpPort;
        this.tlsPort = tlsPort;
    }

    public static SyslogReceiver start(Path workDir) {
        try {
            Path dir = workDir.toAbsolutePath().resolve("syslog");
            if (Files.exists(dir)) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dir.resolve("work"));
            generateCertificates(dir);
            int tcpPort = freePort();
            int tlsPort = freePort();
            Files.writeString(dir.resolve("rsyslog.conf"), config(dir, tcpPort, tlsPort), StandardCharsets.UTF_8);
            String rsyslogd = Files.isExecutable(Path.of("/usr/sbin/rsyslogd")) ? "/usr/sbin/rsyslogd" : "rsyslogd";
            Process process = new ProcessBuilder(rsyslogd, "-n", "-f", dir.resolve("rsyslog.conf").toString(),
                    "-i", dir.resolve("rsyslogd.pid").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
            SyslogReceiver receiver = new SyslogReceiver(process, dir, tcpPort, tlsPort);
            receiver.awaitListening();
            System.out.printf("[syslog] rsyslogd listening on 127.0.0.1:%d (tcp) and :%d (tls), output in %s%n",
                    tcpPort, tlsPort, dir);
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start rsyslogd (install rsyslog and rsyslog-gnutls): " + e, e);
        }
    }

    private static String config(Path dir, int tcpPort, int tlsPort) {
        return """
                global(workDirectory="%1$s/work" maxMessageSize="256k"
                       defaultNetstreamDriverCAFile="%1$s/ca.pem"
                       defaultNetstreamDriverCertFile="%1$s/server.pem"
                       defaultNetstreamDriverKeyFile="%1$s/server-key.pem")
                module(load="imtcp" maxSessions="50")
                template(name="received" type="list" option.jsonf="on") {
                  property(outname="pri" name="pri" format="jsonf")
                  property(outname="hostname" name="hostname" format="jsonf")
                  property(outname="appname" name="app-name" format="jsonf")
                  property(outname="procid" name="procid" format="jsonf")
                  property(outname="msgid" name="msgid" format="jsonf")
                  property(outname="sd" name="structured-data" format="jsonf")
                  property(outname="msg" name="msg" format="jsonf")
                }
                ruleset(name="tcp") { action(type="omfile" file="%1$s/tcp.log" template="received") }
                ruleset(name="tls") { action(type="omfile" file="%1$s/tls.log" template="received") }
                input(type="imtcp" address="127.0.0.1" port="%2$d" ruleset="tcp")
                input(type="imtcp" address="127.0.0.1" port="%3$d" ruleset="tls"
                      streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
                """.formatted(dir, tcpPort, tlsPort);
    }

    /** A CA, and a server certificate it issued for 127.0.0.1 and localhost (P-256 keys, valid two days). */
    private static void generateCertificates(Path dir) throws IOException {
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                + "extendedKeyUsage=serverAuth\n", StandardCharsets.UTF_8);
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Mintgate IT syslog CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "server-key.pem", "-out", "server.csr", "-subj", "/CN=localhost");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
    }

    private static void run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.out").toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: "
                        + Files.readString(dir.resolve("openssl.out")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int port : new int[] {tcpPort, tlsPort}) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException("rsyslogd exited: " + output());
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                    break;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("rsyslogd does not listen on " + port + ": " + output());
                    }
                    AuditSinks.pause(100);
                }
            }
        }
    }

    private String output() {
        try {
            return Files.readString(dir.resolve("rsyslogd.out"));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    public int tcpPort() {
        return tcpPort;
    }

    public int tlsPort() {
        return tlsPort;
    }

    /** The CA certificate (PEM) that issued the receiver's TLS certificate. */
    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** Every message received on the plain TCP input so far, as rsyslog parsed it. */
    public List<JsonNode> tcpMessages() {
        return read("tcp.log");
    }

    /** Every message received on the TLS input so far, as rsyslog parsed it. */
    public List<JsonNode> tlsMessages() {
        return read("tls.log");
    }

    /** Everything rsyslog wrote for the TLS input, as text. */
    public String rawTls() {
        try {
            Path path = dir.resolve("tls.log");
            return Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<JsonNode> read(String file) {
        Path path = dir.resolve(file);
        List<JsonNode> messages = new ArrayList<>();
        if (!Files.exists(path)) {
            return messages;
        }
        try {
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    messages.add(AdminApi.MAPPER.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return messages;
    }

    /** Polls {@code tcp.log} or {@code tls.log} until a message matches; fails with what was received. */
    public JsonNode await(boolean tls, String what, Predicate<JsonNode> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JsonNode> messages = tls ? tlsMessages() : tcpMessages();
            for (JsonNode m : messages) {
                if (matching.test(m)) {
                    return m;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not received by rsyslogd (" + (tls ? "tls" : "tcp") + ") within "
                        + timeout + "; " + messages.size() + " messages received; rsyslogd output: " + output());
            }
            AuditSinks.pause(200);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
