package io.mintgate.audit.ship;

import io.mintgate.audit.chain.ChainId;
import io.mintgate.audit.format.RecordFormat;
import io.mintgate.audit.options.OptionFiles;
import io.mintgate.audit.options.OptionValues;
import io.mintgate.audit.spool.SpoolEntry;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * POSTs batches as {@code application/cloudevents-batch+json} (a JSON array of CloudEvents), or with
 * {@code http-format=ocsf} as {@code application/json} (a JSON array of OCSF events). Authenticates with a
 * bearer token and/or a TLS client certificate, and signs the body with HMAC-SHA256 in
 * {@code X-Mintgate-Signature: sha256=<hex>} so the collector can reject forged or modified batches.
 * Any 2xx means shipped; everything else (including redirects) is a failure and the batch is retried.
 */
public final class HttpSink implements Sink {
    public static final String CONTENT_TYPE = "application/cloudevents-batch+json";
    public static final String OCSF_CONTENT_TYPE = "application/json";
    public static final String SIGNATURE_HEADER = "X-Mintgate-Signature";
    public static final SinkType TYPE = new SinkType("http", Set.of("http-url", "http-bearer-token",
            "http-hmac-secret", "http-keystore", "http-keystore-password", "http-truststore", "http-truststore-password",
            "http-timeout-ms", "http-format"), Settings::read);
    private static final long DAY_MS = 86_400_000L;

    private final Settings options;
    private final HttpClient client;

    public HttpSink(Settings options) {
        this.options = options;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(options.timeoutMs()))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (options.keystore() != null || options.truststore() != null) {
            builder.sslContext(TlsContext.create(options.keystore(), options.keystorePassword(),
                    options.truststore(), options.truststorePassword(), null));
        }
        this.client = builder.build();
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void send(List<SpoolEntry> batch) throws IOException, InterruptedException {
        byte[] body = body(batch, options.format());
        HttpRequest.Builder request = HttpRequest.newBuilder(options.url())
                .timeout(Duration.ofMillis(options.timeoutMs()))
                .header("Content-Type", options.format() == RecordFormat.OCSF ? OCSF_CONTENT_TYPE : CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (options.bearerToken() != null) {
            request.header("Authorization", "Bearer " + options.bearerToken());
        }
        if (options.hmacSecret() != null) {
            request.header(SIGNATURE_HEADER, "sha256=" + hmacHex(options.hmacSecret(), body));
        }
        HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new IOException("HTTP " + status + " from " + options.url().getHost());
        }
    }

    static byte[] body(List<SpoolEntry> batch, RecordFormat format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(format.render(batch.get(i)));
        }
        out.write(']');
        return out.toByteArray();
    }

    /** HMAC-SHA256 of {@code body} with the UTF-8 bytes of {@code secret}, lowercase hex. */
    public static String hmacHex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is mandatory in every JRE", e);
        }
    }

    /** The collector's URL, credentials, TLS material, timeout and format; toString never shows a secret. */
    public record Settings(URI url, String bearerToken, String hmacSecret, Path keystore, String keystorePassword,
                           Path truststore, String truststorePassword, long timeoutMs, RecordFormat format)
            implements SinkSettings {
        @Override
        public String name() {
            return TYPE.name();
        }

        @Override
        public Sink open(ChainId chain) {
            return new HttpSink(this);
        }

        @Override
        public String toString() {
            return "HttpSink.Settings[url=" + url + ", bearerToken=" + (bearerToken == null ? "none" : "***")
                    + ", hmac=" + (hmacSecret == null ? "off" : "on") + ", keystore=" + keystore
                    + ", truststore=" + truststore + ", timeoutMs=" + timeoutMs + ", format=" + format + "]";
        }

        static Settings read(OptionValues o, boolean enabled, Path spoolDir) {
            URI url = o.httpUrl("http-url");
            if (enabled && url == null && o.text("http-url") == null) {
                o.missing("http-url", "the http sink is in 'sinks' and needs the collector's URL");
            }
            String bearer = o.text("http-bearer-token");
            if (bearer != null && !bearer.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
                o.secretProblem("http-bearer-token", "printable ASCII without spaces or line breaks (RFC 6750 b64token)");
            }
            String hmac = o.text("http-hmac-secret");
            if (hmac != null && hmac.length() < 16) {
                o.secretProblem("http-hmac-secret", "at least 16 characters");
            }
            Path keystore = o.path("http-keystore");
            String keystorePassword = o.text("http-keystore-password");
            Path truststore = o.path("http-truststore");
            String truststorePassword = o.text("http-truststore-password");
            OptionFiles.keystore(o, "http-keystore", keystore, "http-keystore-password", keystorePassword);
            OptionFiles.keystore(o, "http-truststore", truststore, "http-truststore-password", truststorePassword);
            long timeout = o.number("http-timeout-ms", 10_000L, 1, DAY_MS);
            if (url == null) {
                return null;
            }
            return new Settings(url, bearer, hmac, keystore, keystorePassword, truststore, truststorePassword,
                    timeout, SinkType.format(o, "http-format"));
        }
    }
}
