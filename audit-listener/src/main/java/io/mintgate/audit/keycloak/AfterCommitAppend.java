package io.mintgate.audit.keycloak;

import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.record.AuditRecord;
import org.keycloak.models.KeycloakTransaction;
import org.keycloak.tracing.TracingProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Holds a session's audit records until Keycloak's transaction outcome is known. Enlisted with
 * {@code enlistAfterCompletion}: commit() runs after the database transaction committed, so a rolled-back grant
 * never produces an "issued" record; rollback() drops them. An exception thrown from commit() (spool full under
 * fail-closed, fsync timeout under before-response) propagates out of Keycloak's transaction manager and fails the
 * request before the response body is written.
 */
final class AfterCommitAppend implements KeycloakTransaction {
    private final AuditPipeline pipeline;
    private final TracingProvider tracing;
    private final List<Supplier<Optional<AuditRecord>>> records = new ArrayList<>(2);
    private boolean active;

    AfterCommitAppend(AuditPipeline pipeline, TracingProvider tracing) {
        this.pipeline = pipeline;
        this.tracing = tracing;
    }

    void add(AuditRecord record) {
        records.add(() -> Optional.of(record));
    }

    /**
     * Maps when the transaction completes, not when the listener is called: other listeners (Mintgate's decision
     * details among them) may still add details to the same Event after this listener has seen it.
     */
    void addLazily(Supplier<Optional<AuditRecord>> mapping) {
        records.add(mapping);
    }

    @Override
    public void begin() {
        active = true;
    }

    @Override
    public void commit() {
        try {
            List<AuditRecord> mapped = new ArrayList<>(records.size());
            for (Supplier<Optional<AuditRecord>> mapping : records) {
                mapping.get().ifPresent(mapped::add);
            }
            if (!mapped.isEmpty()) {
                AppendSpan.appendAll(tracing, pipeline, mapped);
            }
        } finally {
            records.clear();
            active = false;
        }
    }

    @Override
    public void rollback() {
        records.clear();
        active = false;
    }

    @Override
    public void setRollbackOnly() {
    }

    @Override
    public boolean getRollbackOnly() {
        return false;
    }

    @Override
    public boolean isActive() {
        return active;
    }
}
