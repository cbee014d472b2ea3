package io.mintgate.audit.ship;

import io.mintgate.audit.chain.ChainId;
import io.mintgate.audit.format.RecordFormat;

import java.nio.file.Path;

/**
 * Syslog sink settings (RFC 5424 messages, RFC 6587 octet-counted over TCP or RFC 5425 over TLS); toString never
 * shows the keystore passwords.
 *
 * @param tls        RFC 5425 TLS (server certificate and host name checked) instead of plain TCP
 * @param caFile     PEM CA certificates to trust, or null (then {@code truststore}, else the JVM's default CAs)
 * @param keystore   client certificate for mutual TLS, or null
 * @param facility   RFC 5424 facility code 0-23
 * @param sdId       the SD-ID of the structured-data element carrying the chain fields ({@code name@<PEN>})
 */
public record SyslogSinkOptions(String host, int port, boolean tls, Path caFile, Path truststore,
                                String truststorePassword, Path keystore, String keystorePassword, String appName,
                                String hostname, int facility, String sdId, RecordFormat format, long timeoutMs)
        implements SinkSettings {
    @Override
    public String name() {
        return "syslog";
    }

    @Override
    public Sink open(ChainId chain) {
        return new SyslogSink(this);
    }

    @Override
    public String toString() {
        return "SyslogSinkOptions[" + (tls ? "tls" : "tcp") + "://" + host + ":" + port + ", caFile=" + caFile
                + ", truststore=" + truststore + ", keystore=" + keystore + ", appName=" + appName + ", hostname="
                + hostname + ", facility=" + facility + ", sdId=" + sdId + ", format=" + format + ", timeoutMs="
                + timeoutMs + "]";
    }
}
