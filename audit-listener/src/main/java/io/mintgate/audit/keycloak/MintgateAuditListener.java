package io.mintgate.audit.keycloak;

import io.mintgate.audit.AuditPipeline;
import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.record.NhiFacts;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransactionManager;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.tracing.TracingProvider;

import java.util.Optional;

/**
 * Per-session and cheap: maps the event and parks the record in an after-completion transaction; the shared
 * {@link AuditPipeline} does the rest. Nothing is appended while the Keycloak transaction can still roll back.
 */
final class MintgateAuditListener implements EventListenerProvider {
    private final KeycloakSession session;
    private final AuditPipeline pipeline;
    private final EventRecordMapper events;
    private final AdminEventRecordMapper adminEvents;
    private AfterCommitAppend pending;

    MintgateAuditListener(KeycloakSession session, AuditPipeline pipeline, EventRecordMapper events,
                          AdminEventRecordMapper adminEvents) {
        this.session = session;
        this.pipeline = pipeline;
        this.events = events;
        this.adminEvents = adminEvents;
    }

    @Override
    public void onEvent(Event event) {
        KeycloakTransactionManager tm = session.getTransactionManager();
        if (tm == null || !tm.isActive()) {
            events.map(event).ifPresent(this::appendNow);
            return;
        }
        if (EventRecordMapper.isClientChange(event)) {
            // Read the registered client's NHI attributes now, inside the request's transaction, where it exists.
            NhiFacts nhi = new SessionLookup(event.getRealmId()).nhiOfClientId(event.getClientId());
            pending().addLazily(() -> events.map(event, nhi));
            return;
        }
        pending().addLazily(() -> events.map(event));
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        Optional<AuditRecord> record = adminEvents.map(event, new SessionLookup(event.getRealmId()));
        record.ifPresent(this::appendAfterCommit);
    }

    private void appendAfterCommit(AuditRecord record) {
        KeycloakTransactionManager tm = session.getTransactionManager();
        if (tm == null || !tm.isActive()) {
            // No transaction will ever complete for this event (sent outside one): append now rather than never.
            appendNow(record);
            return;
        }
        pending().add(record);
    }

    private void appendNow(AuditRecord record) {
        AppendSpan.appendAll(tracing(), pipeline, java.util.List.of(record));
    }

    private TracingProvider tracing() {
        return session.getProvider(TracingProvider.class);
    }

    /** A finished after-completion transaction is never called again: enlist a fresh one for a new transaction. */
    private AfterCommitAppend pending() {
        if (pending == null || !pending.isActive()) {
            pending = new AfterCommitAppend(pipeline, tracing());
            session.getTransactionManager().enlistAfterCompletion(pending);
        }
        return pending;
    }

    @Override
    public void close() {
    }

    private final class SessionLookup implements AdminEventRecordMapper.Lookup {
        private final String realmId;

        SessionLookup(String realmId) {
            this.realmId = realmId;
        }

        private RealmModel realm() {
            return realmId == null ? null : session.realms().getRealm(realmId);
        }

        @Override
        public boolean isServiceAccount(String userId) {
            RealmModel realm = realm();
            UserModel user = realm == null ? null : session.users().getUserById(realm, userId);
            return user == null || user.getServiceAccountClientLink() != null;
        }

        @Override
        public NhiFacts nhiOf(String clientUuid) {
            RealmModel realm = realm();
            return nhi(realm == null || clientUuid == null ? null : realm.getClientById(clientUuid));
        }

        NhiFacts nhiOfClientId(String clientId) {
            RealmModel realm = realm();
            return nhi(realm == null || clientId == null ? null : realm.getClientByClientId(clientId));
        }

        private NhiFacts nhi(ClientModel client) {
            return client == null ? null : NhiFacts.of(client.getAttribute(NhiFacts.OWNER),
                    client.getAttribute(NhiFacts.EXPIRES_AT), client.getAttribute(NhiFacts.PURPOSE));
        }

        @Override
        public String clientIdOf(String clientUuid) {
            RealmModel realm = realm();
            ClientModel client = realm == null ? null : realm.getClientById(clientUuid);
            return client == null ? null : client.getClientId();
        }
    }
}
