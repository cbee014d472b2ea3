package io.mintgate.authorizer.keycloak.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RegistrationMetadataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mintgateMembersAtTheTopOrInAttributesAreNamedInDocumentOrder() throws Exception {
        assertThat(RegistrationMetadata.mintgateMembers(JSON.readTree("""
                {"client_name": "agent", "mintgate.owner": "alice", "mintgate.expires-at": "2030-01-01T00:00:00Z",
                 "attributes": {"mintgate.purpose": "deploys", "other": "x"}}""")))
                .extracting(Violation::field)
                .containsExactly("mintgate.owner", "mintgate.expires-at", "attributes.mintgate.purpose");
    }

    @Test
    void plainRfc7591MetadataAndNonObjectsHaveNone() throws Exception {
        assertThat(RegistrationMetadata.mintgateMembers(JSON.readTree("""
                {"client_name": "agent", "grant_types": ["client_credentials"], "mintgate": "not a prefix match"}""")))
                .isEmpty();
        assertThat(RegistrationMetadata.mintgateMembers(JSON.readTree("[1, 2]"))).isEmpty();
        assertThat(RegistrationMetadata.mintgateMembers(null)).isEmpty();
    }

    @Test
    void theDescriptionSaysWhereTheAttributesCanBeRegistered() throws Exception {
        assertThat(RegistrationMetadata.mintgateMembers(JSON.readTree("{\"mintgate.owner\": \"alice\"}")).get(0)
                .description()).isEqualTo("mintgate.owner: Mintgate attributes are not RFC 7591 client metadata:"
                + " register through /clients-registrations/default with a client representation whose attributes"
                + " have them");
    }
}
