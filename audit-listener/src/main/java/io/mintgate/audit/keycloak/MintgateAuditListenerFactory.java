package io.mintgate.audit.keycloak;

import io.micrometer.core.instrument.Metrics;
import io.mintgate.audit.AuditOptions;
import io.mintgate.audit.AuditPipeline;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Provider {@value #PROVIDER_ID}. Reads options in init, builds the one spool + shippers per node in postInit, and
 * hands out cheap per-session listeners. With {@code global=true} Keycloak calls it for every realm without per-realm
 * enabling.
 */
public final class MintgateAuditListenerFactory implements EventListenerProviderFactory {
    public static final String PROVIDER_ID = "mintgate-audit";
    private static final Logger LOG = Logger.getLogger(MintgateAuditListenerFactory.class);

    private AuditOptions options;
    private AuditPipeline pipeline;
    private EventRecordMapper events;
    private AdminEventRecordMapper adminEvents;

    @Override
    public void init(Config.Scope config) {
        // Throws InvalidAuditOptionsException: Keycloak prints its message (every problem) and does not start.
        options = AuditOptionsReader.read(config);
        events = new EventRecordMapper(options.kinds());
        adminEvents = new AdminEventRecordMapper(options.kinds());
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        try {
            pipeline = AuditPipeline.start(options, Metrics.globalRegistry);
            io.mintgate.audit.health.AuditHealth.watch(pipeline);
        } catch (IOException e) {
            // Fail the server start: running without the audit trail the operator asked for is worse than not running.
            throw new UncheckedIOException("Mintgate audit cannot open its spool " + options.spoolDir(), e);
        }
    }

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new MintgateAuditListener(session, pipeline, events, adminEvents);
    }

    @Override
    public boolean isGlobal() {
        return options != null && options.global();
    }

    @Override
    public void close() {
        if (pipeline != null) {
            LOG.info("Mintgate audit stopping: flushing the spool");
            io.mintgate.audit.health.AuditHealth.unwatch(pipeline);
            pipeline.close();
            pipeline = null;
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    /** For tests and the integration harness. */
    public AuditPipeline pipeline() {
        return pipeline;
    }
}
