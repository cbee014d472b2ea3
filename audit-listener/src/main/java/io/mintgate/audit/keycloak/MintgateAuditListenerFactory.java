package io.mintgate.audit.keycloak;

import io.mintgate.audit.ship.FileSink;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

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
public final class MintgateAuditListenerFactory implements EventListenerProviderFactory, ServerInfoAwareProviderFactory {
    /**
     * Operational info names (Keycloak's server info, and how the authorizer's replay endpoint finds this node's
     * trail without importing this module): the file sink's path and format, present only when it is enabled.
     */
    public static final String INFO_FILE_PATH = "file-path";
    public static final String INFO_FILE_FORMAT = "file-format";

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
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        if (options == null) {
            return info;
        }
        info.put("sinks", String.join(",", options.sinkNames()));
        FileSink.Settings file = options.sink(FileSink.Settings.class);
        if (file != null) {
            info.put(INFO_FILE_PATH, file.path().toAbsolutePath().toString());
            info.put(INFO_FILE_FORMAT, file.format().name().toLowerCase(java.util.Locale.ROOT));
        }
        return info;
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
