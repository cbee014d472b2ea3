package io.mintgate.audit.spool;

/** One framed record as stored: its chain seq, when it was appended, and the CloudEvent JSON. */
public record SpoolEntry(long seq, long appendedAtMillis, byte[] payload) {
}
