package io.mintgate.audit.ship;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.audit.chain.ChainId;
import io.mintgate.audit.format.RecordFormat;
import io.mintgate.audit.options.OptionFiles;
import io.mintgate.audit.options.OptionValues;
import io.mintgate.audit.record.RecordJson;
import io.mintgate.audit.record.RecordType;
import io.mintgate.audit.spool.SpoolEntry;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sends each record as one RFC 5424 syslog message, framed by octet counting (RFC 6587 section 3.4.1: the
 * message length in decimal, a space, the message), over TCP or over TLS (RFC 5425, the same framing). A batch counts
 * as shipped once all its messages are written and flushed to the socket without error; syslog over TCP has no
 * application-level acknowledgement, so that means "handed to the kernel", not "stored by the receiver" (see
 * docs/siem.md). Before each batch the connection is probed for a close by the receiver, so a restarted receiver
 * costs a reconnect rather than a batch written into a dead connection.
 */
public final class SyslogSink implements Sink {
    public static final SinkType TYPE = new SinkType("syslog", Set.of("syslog-host", "syslog-port",
            "syslog-transport", "syslog-ca-file", "syslog-truststore", "syslog-truststore-password", "syslog-keystore",
            "syslog-keystore-password", "syslog-app-name", "syslog-hostname", "syslog-facility", "syslog-sd-id",
            "syslog-format", "syslog-timeout-ms"), Settings::read);
    /** RFC 5424 facility keywords, in code order 0-23. */
    public static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
            "news", "uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock", "local0", "local1", "local2",
            "local3", "local4", "local5", "local6", "local7");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[?[0-9A-Fa-f:.]+]?");
    /** PRINTUSASCII (RFC 5424 section 6): %d33-126. */
    private static final Pattern PRINTUSASCII = Pattern.compile("[!-~]+");
    /** SD-NAME (RFC 5424 section 6.3.2) with the '@' of a private SD-ID: name@<private enterprise number>. */
    private static final Pattern SD_ID = Pattern.compile("[!#-<>-\\\\^-~&&[^@]]{1,31}@[0-9]+(\\.[0-9]+)*");
    private static final long DAY_MS = 86_400_000L;

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final String PROC_ID = Long.toString(ProcessHandle.current().pid());

    private final Settings options;
    private final SSLContext tls;
    private Socket socket;
    private OutputStream out;

    public SyslogSink(Settings options) {
        this.options = options;
        this.tls = options.tls() ? TlsContext.create(options.keystore(), options.keystorePassword(),
                options.truststore(), options.truststorePassword(), options.caFile()) : null;
    }

    @Override
    public String name() {
        return "syslog";
    }

    @Override
    public void send(List<SpoolEntry> batch) throws IOException {
        try {
            OutputStream o = connection();
            for (SpoolEntry entry : batch) {
                byte[] message = message(entry);
                o.write(Integer.toString(message.length).getBytes(StandardCharsets.US_ASCII));
                o.write(' ');
                o.write(message);
            }
            o.flush();
        } catch (IOException | RuntimeException e) {
            disconnect();
            throw e;
        }
    }

    /** One RFC 5424 SYSLOG-MSG: header, the chain fields as structured data, the rendered record after a BOM. */
    byte[] message(SpoolEntry entry) throws IOException {
        JsonNode event = RecordJson.MAPPER.readTree(entry.payload());
        String type = event.path("type").asText();
        int severity = RecordType.TOKEN_DENIED.equals(type) ? 4 : 6; // warning : informational
        StringBuilder header = new StringBuilder(256)
                .append('<').append(options.facility() * 8 + severity).append(">1 ")
                .append(timestamp(event.path("time").asText())).append(' ')
                .append(options.hostname()).append(' ')
                .append(options.appName()).append(' ')
                .append(PROC_ID).append(' ')
                .append(msgId(type)).append(' ');
        header.append('[').append(options.sdId());
        param(header, "id", event.path("id"));
        param(header, "chain", event.path(RecordJson.EXT_CHAIN));
        param(header, "seq", event.path(RecordJson.EXT_SEQ));
        param(header, "prev", event.path(RecordJson.EXT_PREV));
        param(header, "hash", event.path(RecordJson.EXT_HASH));
        JsonNode decision = event.path("data").path("decision");
        param(header, "decision", decision.path("id"));
        param(header, "outcome", decision.path("outcome"));
        header.append("] ");
        ByteArrayOutputStream message = new ByteArrayOutputStream(entry.payload().length + 512);
        message.writeBytes(header.toString().getBytes(StandardCharsets.UTF_8));
        message.writeBytes(BOM);
        message.writeBytes(options.format().render(entry));
        return message.toByteArray();
    }

    /** RFC 5424 TIMESTAMP: RFC 3339 in UTC with at most six fractional digits. */
    static String timestamp(String time) {
        try {
            return Instant.parse(time).truncatedTo(ChronoUnit.MICROS).toString();
        } catch (RuntimeException e) {
            return "-";
        }
    }

    /** MSGID: the record type without its {@code io.mintgate.} prefix (token.issued, ..., audit.checkpoint). */
    static String msgId(String type) {
        return type.startsWith("io.mintgate.") ? type.substring("io.mintgate.".length()) : "-";
    }

    /** An SD-PARAM; '"', '\' and ']' escaped as RFC 5424 section 6.3.3 requires. Absent values are left out. */
    private static void param(StringBuilder sd, String name, JsonNode value) {
        if (value.isMissingNode() || value.isNull() || value.asText().isEmpty()) {
            return;
        }
        sd.append(' ').append(name).append("=\"");
        for (char c : value.asText().toCharArray()) {
            if (c == '"' || c == '\\' || c == ']') {
                sd.append('\\');
            }
            sd.append(c);
        }
        sd.append('"');
    }

    private OutputStream connection() throws IOException {
        if (socket != null && closedByReceiver()) {
            disconnect();
        }
        if (socket == null) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(options.host(), options.port()), (int) options.timeoutMs());
                s.setSoTimeout((int) options.timeoutMs());
                s.setKeepAlive(true);
                if (tls != null) {
                    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, options.host(), options.port(),
                            true);
                    SSLParameters params = ssl.getSSLParameters();
                    // RFC 5425 section 5.2: the server's certificate must name the host we connect to.
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                    ssl.setSSLParameters(params);
                    ssl.startHandshake();
                    s = ssl;
                }
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
            socket = s;
            out = new BufferedOutputStream(s.getOutputStream(), 64 << 10);
        }
        return out;
    }

    /**
     * A syslog receiver never sends on this connection; a read that ends the stream means it closed it. Reads for at
     * most 1 ms.
     */
    private boolean closedByReceiver() {
        try {
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            int b = in.read();
            socket.setSoTimeout((int) options.timeoutMs());
            return b < 0;
        } catch (SocketTimeoutException stillOpen) {
            try {
                socket.setSoTimeout((int) options.timeoutMs());
                return false;
            } catch (IOException e) {
                return true;
            }
        } catch (IOException e) {
            return true;
        }
    }

    private void disconnect() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already broken; a new connection follows
            }
        }
        socket = null;
        out = null;
    }

    @Override
    public void close() {
        disconnect();
    }

    /**
     * Where and how to send: RFC 5424 messages, RFC 6587 octet-counted over TCP or RFC 5425 over TLS; toString never
     * shows the keystore passwords.
     *
     * @param tls      RFC 5425 TLS (server certificate and host name checked) instead of plain TCP
     * @param caFile   PEM CA certificates to trust, or null (then {@code truststore}, else the JVM's default CAs)
     * @param keystore client certificate for mutual TLS, or null
     * @param facility RFC 5424 facility code 0-23
     * @param sdId     the SD-ID of the structured-data element carrying the chain fields ({@code name@<PEN>})
     */
    public record Settings(String host, int port, boolean tls, Path caFile, Path truststore, String truststorePassword,
                           Path keystore, String keystorePassword, String appName, String hostname, int facility,
                           String sdId, RecordFormat format, long timeoutMs) implements SinkSettings {
        @Override
        public String name() {
            return TYPE.name();
        }

        @Override
        public Sink open(ChainId chain) {
            return new SyslogSink(this);
        }

        @Override
        public String toString() {
            return "SyslogSink.Settings[" + (tls ? "tls" : "tcp") + "://" + host + ":" + port + ", caFile=" + caFile
                    + ", truststore=" + truststore + ", keystore=" + keystore + ", appName=" + appName + ", hostname="
                    + hostname + ", facility=" + facility + ", sdId=" + sdId + ", format=" + format + ", timeoutMs="
                    + timeoutMs + "]";
        }

        static Settings read(OptionValues o, boolean enabled, Path spoolDir) {
            String host = o.text("syslog-host");
            if (host != null && !HOST.matcher(host).matches()) {
                o.problem("syslog-host", host, "a host name or IP address of the syslog receiver");
            }
            boolean tls = o.choice("syslog-transport", "tls", List.of("tls", "tcp")).equals("tls");
            int port = (int) o.number("syslog-port", tls ? 6514 : 514, 1, 65_535);
            Path caFile = o.path("syslog-ca-file");
            Path truststore = o.path("syslog-truststore");
            String truststorePassword = o.text("syslog-truststore-password");
            Path keystore = o.path("syslog-keystore");
            String keystorePassword = o.text("syslog-keystore-password");
            OptionFiles.keystore(o, "syslog-truststore", truststore, "syslog-truststore-password", truststorePassword);
            OptionFiles.keystore(o, "syslog-keystore", keystore, "syslog-keystore-password", keystorePassword);
            if (caFile != null && !(Files.isReadable(caFile) && TlsContext.holdsCertificates(caFile))) {
                o.problem("syslog-ca-file", caFile.toString(), "a readable PEM file with at least one X.509 certificate");
            }
            if (caFile != null && truststore != null) {
                o.problem("syslog-ca-file", caFile.toString(), "either syslog-ca-file or syslog-truststore, not both");
            }
            if (!tls) {
                for (String name : List.of("syslog-ca-file", "syslog-truststore", "syslog-keystore")) {
                    if (o.text(name) != null) {
                        o.problem(name, o.text(name), "only with syslog-transport=tls (syslog-transport is tcp)");
                    }
                }
            }
            String appName = o.text("syslog-app-name", "mintgate");
            if (appName.length() > 48 || !PRINTUSASCII.matcher(appName).matches()) {
                o.problem("syslog-app-name", appName, "1 to 48 printable US-ASCII characters without spaces (RFC 5424 APP-NAME)");
            }
            String hostname = o.text("syslog-hostname", localHostName());
            if (hostname.length() > 255 || !PRINTUSASCII.matcher(hostname).matches()) {
                o.problem("syslog-hostname", hostname, "1 to 255 printable US-ASCII characters without spaces (RFC 5424 HOSTNAME)");
            }
            int facility = facility(o);
            String sdId = o.text("syslog-sd-id", "mintgate@32473");
            if (sdId.length() > 32 || !SD_ID.matcher(sdId).matches()) {
                o.problem("syslog-sd-id", sdId, "name@<private enterprise number> with at most 32 printable US-ASCII "
                        + "characters in all, without '=', ']', '\"' or spaces (RFC 5424 SD-ID)");
            }
            long timeout = o.number("syslog-timeout-ms", 10_000L, 1, DAY_MS);
            var format = SinkType.format(o, "syslog-format");
            if (host == null) {
                if (enabled) {
                    o.missing("syslog-host", "the syslog sink is in 'sinks' and needs the receiver's host");
                }
                return null;
            }
            return new Settings(host.replaceAll("^\\[|]$", ""), port, tls, caFile, truststore,
                    truststorePassword, keystore, keystorePassword, appName, hostname, facility, sdId, format, timeout);
        }

        /** A keyword (auth, authpriv, local0 ...) or the code 0-23; default authpriv (10). */
        private static int facility(OptionValues o) {
            String value = o.text("syslog-facility");
            if (value == null) {
                return FACILITIES.indexOf("authpriv");
            }
            int byName = FACILITIES.indexOf(value.toLowerCase(Locale.ROOT));
            if (byName >= 0) {
                return byName;
            }
            if (value.matches("\\d{1,2}") && Integer.parseInt(value) <= 23) {
                return Integer.parseInt(value);
            }
            o.problem("syslog-facility", value, "a facility keyword (" + String.join(", ", FACILITIES) + ") or 0 to 23");
            return FACILITIES.indexOf("authpriv");
        }

        private static String localHostName() {
            try {
                String name = InetAddress.getLocalHost().getHostName();
                return name == null || name.isBlank() ? "-" : name.replace(' ', '-');
            } catch (UnknownHostException e) {
                return "-";
            }
        }
    }
}
