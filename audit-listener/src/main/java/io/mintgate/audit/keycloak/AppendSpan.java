package io.mintgate.audit.keycloak;

import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.record.AccessData;
import io.mintgate.audit.record.AuditRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import org.keycloak.tracing.NoopTracingProvider;
import org.keycloak.tracing.TracingProvider;

import java.util.List;
import java.util.Locale;

/**
 * The {@code mintgate.audit.append} span around the request thread's append of a request's records (the hand-off
 * to the spool writer and, under {@code before-response}, the wait for their fsync), through Keycloak's
 * {@link TracingProvider}: a child of the current span. It carries the record count, the guarantee and the decision
 * id the records report; a refused append (spool full under fail-closed, fsync timeout) sets ERROR. With tracing
 * off the records are appended as they would be without it.
 */
final class AppendSpan {

    static final String NAME = "mintgate.audit.append";
    static final AttributeKey<Long> RECORDS = AttributeKey.longKey("mintgate.audit.records");
    static final AttributeKey<String> GUARANTEE = AttributeKey.stringKey("mintgate.audit.guarantee");
    static final AttributeKey<String> DECISION_ID = AttributeKey.stringKey("mintgate.decision.id");

    private AppendSpan() {
    }

    static void appendAll(TracingProvider tracing, AuditPipeline pipeline, List<AuditRecord> records) {
        if (tracing == null || tracing instanceof NoopTracingProvider) {
            pipeline.appendAll(records);
            return;
        }
        Span span = tracing.startSpan(AppendSpan.class.getName(), NAME);
        try {
            if (span.isRecording()) {
                span.setAttribute(RECORDS, (long) records.size());
                span.setAttribute(GUARANTEE, pipeline.options().guarantee().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                String decisionId = decisionId(records);
                if (decisionId != null) {
                    span.setAttribute(DECISION_ID, decisionId);
                }
            }
            pipeline.appendAll(records);
        } catch (RuntimeException e) {
            tracing.error(e);
            throw e;
        } finally {
            tracing.endSpan();
        }
    }

    /** The first decision id among the records (a request's records usually report one decision). */
    private static String decisionId(List<AuditRecord> records) {
        for (AuditRecord record : records) {
            if (record.data() instanceof AccessData access && access.decision() != null && access.decision().id() != null) {
                return access.decision().id();
            }
        }
        return null;
    }
}
