package io.mintgate.audit.spool;

import java.util.Locale;

/** When an appended record is on disk relative to the Keycloak response. */
public enum Guarantee {
    /**
     * The default. The request thread waits (bounded) for the fsync of its record; failure or timeout fails the
     * request, so no response leaves before its record is on disk.
     */
    BEFORE_RESPONSE,
    /**
     * The request thread only hands off; the writer fsyncs within {@code async-max-delay-ms}. A crash loses the
     * records not yet written (process crash) or not yet fsynced (machine crash), responses already sent included.
     */
    ASYNC;

    public static Guarantee parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
