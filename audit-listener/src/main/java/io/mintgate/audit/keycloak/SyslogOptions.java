package io.mintgate.audit.keycloak;

import io.mintgate.audit.ship.SyslogSinkOptions;
import io.mintgate.audit.ship.TlsContext;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The syslog sink's options (RFC 5424 over TCP with RFC 6587 octet counting, or RFC 5425 TLS). */
final class SyslogOptions {
    static final Set<String> NAMES = Set.of("syslog-host", "syslog-port", "syslog-transport", "syslog-ca-file",
            "syslog-truststore", "syslog-truststore-password", "syslog-keystore", "syslog-keystore-password",
            "syslog-app-name", "syslog-hostname", "syslog-facility", "syslog-sd-id", "syslog-format",
            "syslog-timeout-ms");
    /** RFC 5424 facility keywords, in code order 0-23. */
    static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
            "uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock", "local0", "local1", "local2",
            "local3", "local4", "local5", "local6", "local7");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[?[0-9A-Fa-f:.]+]?");
    /** PRINTUSASCII (RFC 5424 section 6): %d33-126. */
    private static final Pattern PRINTUSASCII = Pattern.compile("[!-~]+");
    /** SD-NAME (RFC 5424 section 6.3.2) with the '@' of a private SD-ID: name@<private enterprise number>. */
    private static final Pattern SD_ID = Pattern.compile("[!#-<>-\\\\^-~&&[^@]]{1,31}@[0-9]+(\\.[0-9]+)*");
    private static final long DAY_MS = 86_400_000L;

    private SyslogOptions() {
    }

    static SyslogSinkOptions read(OptionValues o, boolean enabled, Path spoolDir) {
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
        var format = SinkRegistry.format(o, "syslog-format");
        if (host == null) {
            if (enabled) {
                o.missing("syslog-host", "the syslog sink is in 'sinks' and needs the receiver's host");
            }
            return null;
        }
        return new SyslogSinkOptions(host.replaceAll("^\\[|]$", ""), port, tls, caFile, truststore,
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
