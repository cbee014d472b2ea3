package io.mintgate.authorizer.keycloak.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.mintgate.authorizer.policy.Obligations;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.junit.jupiter.api.Test;

class SubjectTokenNarrowingTest {

    @Test
    void readsWhatTheSubjectTokenCarries() {
        Obligations carried = SubjectTokenNarrowing.of(form(Map.of("subject_token",
                jwt("{\"iss\":\"r\",\"mintgate_narrowing\":{\"keepAudiences\":[\"api-a\"],\"maxAccessTokenLifetime\":120}}"))));
        assertThat(carried.keepAudiences()).containsExactly("api-a");
        assertThat(carried.maxAccessTokenLifetime()).hasSeconds(120);
    }

    @Test
    void aSubjectTokenThatCarriesNothingAndAnExternalOneNarrowNothing() {
        assertThat(SubjectTokenNarrowing.of(form(Map.of("subject_token", jwt("{\"iss\":\"r\"}"))))).isEqualTo(Obligations.NONE);
        assertThat(SubjectTokenNarrowing.of(form(Map.of("subject_token", "opaque", "subject_issuer", "partner"))))
                .isEqualTo(Obligations.NONE);
        assertThat(SubjectTokenNarrowing.of(form(Map.of()))).isEqualTo(Obligations.NONE);
    }

    @Test
    void aSubjectTokenOfThisRealmThatCannotBeReadIsRefused() {
        for (String token : List.of("opaque", jwt("{\"mintgate_narrowing\":\"all\"}"), "a.b.c")) {
            assertThatThrownBy(() -> SubjectTokenNarrowing.of(form(Map.of("subject_token", token)))).as(token)
                    .isInstanceOf(CarriedObligations.Unreadable.class);
        }
    }

    private static MultivaluedMap<String, String> form(Map<String, String> values) {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        values.forEach(form::putSingle);
        return form;
    }

    /** A JWS with this payload and a dummy signature: the post-processor reads a token Keycloak has verified. */
    private static String jwt(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }
}
