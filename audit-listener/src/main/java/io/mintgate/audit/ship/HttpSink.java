package io.mintgate.audit.ship;

import io.mintgate.audit.format.RecordFormat;
import io.mintgate.audit.spool.SpoolEntry;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

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

    private final HttpSinkOptions options;
    private final HttpClient client;

    public HttpSink(HttpSinkOptions options) {
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
}
