package io.mintgate.audit.ship;

import io.mintgate.audit.chain.ChainId;
import io.mintgate.audit.format.RecordFormat;

import java.net.URI;
import java.nio.file.Path;

/** HTTP sink settings; toString never shows the bearer token, HMAC secret or keystore passwords. */
public record HttpSinkOptions(URI url, String bearerToken, String hmacSecret, Path keystore, String keystorePassword,
                              Path truststore, String truststorePassword, long timeoutMs, RecordFormat format)
        implements SinkSettings {
    @Override
    public String name() {
        return "http";
    }

    @Override
    public Sink open(ChainId chain) {
        return new HttpSink(this);
    }

    @Override
    public String toString() {
        return "HttpSinkOptions[url=" + url + ", bearerToken=" + (bearerToken == null ? "none" : "***")
                + ", hmac=" + (hmacSecret == null ? "off" : "on") + ", keystore=" + keystore
                + ", truststore=" + truststore + ", timeoutMs=" + timeoutMs + ", format=" + format + "]";
    }
}
