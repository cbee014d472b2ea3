package io.mintgate.audit.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;

import io.mintgate.audit.record.AccessData;
import io.mintgate.audit.record.AuditKind;
import io.mintgate.audit.record.AuditRecord;
import io.mintgate.audit.record.NhiFacts;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.junit.jupiter.api.Test;

class ClientRegistrationRecordTest {

    private final EventRecordMapper mapper = new EventRecordMapper(EnumSet.allOf(AuditKind.class));

    private static Event event(EventType type, String error, Map<String, String> details) {
        Event event = new Event();
        event.setId("e-1");
        event.setTime(1_700_000_000_000L);
        event.setType(type);
        event.setRealmId("r-1");
        event.setRealmName("acme");
        event.setClientId("ci-deployer");
        event.setIpAddress("10.0.0.9");
        event.setError(error);
        event.setDetails(details);
        return event;
    }

    @Test
    void aDynamicRegistrationIsAnNhiChangeWithTheSavedFacts() {
        AuditRecord record = mapper.map(event(EventType.CLIENT_REGISTER, null, Map.of()),
                NhiFacts.of("alice", "2026-09-30T00:00:00Z", "deploys")).orElseThrow();
        assertThat(record.type()).isEqualTo("io.mintgate.nhi.changed");
        AccessData data = (AccessData) record.data();
        assertThat(data.resource().type()).isEqualTo("CLIENT");
        assertThat(data.resource().operation()).isEqualTo("CREATE");
        assertThat(data.keycloakEventType()).isEqualTo("CLIENT_REGISTER");
        assertThat(data.nhi()).isEqualTo(new NhiFacts("alice", "2026-09-30T00:00:00Z", "deploys"));
        assertThat(data.clientId()).isEqualTo("ci-deployer");
    }

    @Test
    void aRefusedRegistrationKeepsTheRefusalButNoUnlistedDetail() {
        AuditRecord record = mapper.map(event(EventType.CLIENT_UPDATE_ERROR, "invalid_client_metadata", Map.of(
                "client_policy_error_detail", "attributes.mintgate.owner: required",
                "registration_access_token", "eyJhbGciOiJSUzI1NiJ9.e30.sig")), null).orElseThrow();
        AccessData data = (AccessData) record.data();
        assertThat(record.type()).isEqualTo("io.mintgate.nhi.changed");
        assertThat(data.resource().operation()).isEqualTo("UPDATE");
        assertThat(data.error()).isEqualTo("invalid_client_metadata");
        assertThat(data.details()).containsOnlyKeys("client_policy_error_detail");
        assertThat(data.nhi()).isNull();
    }

    @Test
    void clientWithoutNhiAttributesHasNoNhiMember() {
        assertThat(NhiFacts.of(null, null, null)).isNull();
    }
}
