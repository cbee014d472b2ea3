package io.mintgate.audit.spool;

import java.util.Locale;

/** What to do when unshipped data exceeds the spool limits. Both are loud; neither is silent. */
public enum FullPolicy {
    /** Refuse new appends, so the Keycloak request fails: no token without an audit record. */
    FAIL_CLOSED,
    /** Delete the oldest unshipped segment, log a WARN with the count and count it in mintgate_audit_dropped_total. */
    DROP_OLDEST;

    public static FullPolicy parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
