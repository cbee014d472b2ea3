package io.mintgate.audit.spool;

/**
 * The record could not be made durable (spool full under fail-closed, disk error, or the fsync wait timed out).
 * Thrown into Keycloak on purpose: the request fails rather than issuing an unaudited token.
 */
public class AuditUnavailableException extends RuntimeException {
    public AuditUnavailableException(String message) {
        super(message);
    }

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
