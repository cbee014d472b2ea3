package io.mintgate.audit.ship;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Sends each record as one RFC 5424 syslog message, framed by octet counting (RFC 6587 section 3.4.1: the
 * message length in decimal, a space, the message), over TCP or over TLS (RFC 5425, the same framing). A batch counts
 * as shipped once all its messages are written and flushed to the socket without error; syslog over TCP has no
 * application-level acknowledgement, so that means "handed to the kernel", not "stored by the receiver" (see
 * docs/siem.md). Before each batch the connection is probed for a close by the receiver, so a restarted receiver
 * costs a reconnect rather than a batch written into a dead connection.
 */
public final class SyslogSink implements Sink {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final String PROC_ID = Long.toString(ProcessHandle.current().pid());

    private final SyslogSinkOptions options;
    private final SSLContext tls;
    private Socket socket;
    private OutputStream out;

    public SyslogSink(SyslogSinkOptions options) {
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
}
