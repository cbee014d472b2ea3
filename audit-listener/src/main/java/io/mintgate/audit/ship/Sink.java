package io.mintgate.audit.ship;

import io.mintgate.audit.spool.SpoolEntry;

import java.util.List;

/** A destination for audit records. Called by exactly one shipper thread; never by a request thread. */
public interface Sink extends AutoCloseable {
    /** Short name used in metrics, cursor files and log lines: file, http, kafka. */
    String name();

    /**
     * Delivers the batch, in order. Returning normally means the sink has durably accepted every record; throwing
     * means none may be assumed delivered (the whole batch is retried, so sinks see duplicates, never gaps).
     */
    void send(List<SpoolEntry> batch) throws Exception;

    @Override
    default void close() throws Exception {
    }
}
