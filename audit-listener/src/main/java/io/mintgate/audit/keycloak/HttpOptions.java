package io.mintgate.audit.keycloak;

import io.mintgate.audit.ship.HttpSinkOptions;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/** The HTTP sink's options. */
final class HttpOptions {
    static final Set<String> NAMES = Set.of("http-url", "http-bearer-token", "http-hmac-secret", "http-keystore",
            "http-keystore-password", "http-truststore", "http-truststore-password", "http-timeout-ms", "http-format");
    private static final long DAY_MS = 86_400_000L;

    private HttpOptions() {
    }

    static HttpSinkOptions read(OptionValues o, boolean enabled, Path spoolDir) {
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
        return new HttpSinkOptions(url, bearer, hmac, keystore, keystorePassword, truststore, truststorePassword,
                timeout, SinkRegistry.format(o, "http-format"));
    }
}
