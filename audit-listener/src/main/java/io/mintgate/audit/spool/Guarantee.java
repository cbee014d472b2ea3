package io.mintgate.audit.spool;

import java.util.Locale;

/** When an appended record is on disk relative to the Keycloak response. */
public enum Guarantee {
    /** The request thread waits (bounded) for the fsync; failure or timeout fails the request. */
    BEFORE_RESPONSE,
    /** The request thread only hands off; the writer fsyncs within {@code async-max-delay-ms}. */
    ASYNC;

    public static Guarantee parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
