package io.mintgate.authorizer.keycloak.mappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.protocol.ProtocolMapperConfigException;

class MapperConfigTest {

    @Test
    void lifetimesAreSecondsOrIsoDurations() throws Exception {
        assertThat(MapperSettings.parseDuration("access.token.lifetime", "300")).isEqualTo(Duration.ofMinutes(5));
        assertThat(MapperSettings.parseDuration("access.token.lifetime", " PT2M ")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void anUnreadableOrNonPositiveLifetimeNamesTheField() {
        for (String bad : new String[] {"five minutes", "PT0S", "-PT5M", "PT0.5S", "5m"}) {
            assertThatThrownBy(() -> MapperSettings.parseDuration("refresh.token.lifetime", bad))
                    .isInstanceOf(ProtocolMapperConfigException.class)
                    .hasMessageContaining("refresh.token.lifetime").hasMessageContaining(bad);
        }
    }

    @Test
    void aLifetimeSavedAroundValidationFailsClosedToOneSecond() {
        assertThat(MapperSettings.duration(Map.of("access.token.lifetime", "forever"), "access.token.lifetime"))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(MapperSettings.duration(Map.of(), "access.token.lifetime")).isNull();
    }

    @Test
    void multivaluedSettingsAreSplitOnKeycloaksDelimiterAndTrimmed() {
        assertThat(MapperSettings.list(Map.of("scopes", "billing:*## profile ##"), "scopes"))
                .containsExactly("billing:*", "profile");
        assertThat(MapperSettings.list(Map.of(), "scopes")).isEmpty();
    }

    @Test
    void aScopeLimitWithoutScopesIsRefused() {
        assertThatThrownBy(() -> new ScopeLimitMapper().validateConfig(null, null, null, model(Map.of())))
                .isInstanceOf(ProtocolMapperConfigException.class).hasMessageContaining("scopes:");
    }

    @Test
    void anAudienceLimitNeedsAListOrAFixedAudienceAndTheFixedOneIsNoGlob() throws Exception {
        AudienceLimitMapper mapper = new AudienceLimitMapper();
        assertThatThrownBy(() -> mapper.validateConfig(null, null, null, model(Map.of())))
                .hasMessageContaining("audiences:");
        assertThatThrownBy(() -> mapper.validateConfig(null, null, null, model(Map.of("audience.when.none.remain", "api-*"))))
                .hasMessageContaining("audience.when.none.remain:");
        mapper.validateConfig(null, null, null, model(Map.of("audience.when.none.remain", "billing-api")));
    }

    @Test
    void aLifetimeCapThatWouldChangeNothingIsRefused() throws Exception {
        LifetimeCapMapper mapper = new LifetimeCapMapper();
        assertThatThrownBy(() -> mapper.validateConfig(null, null, null, model(Map.of())))
                .hasMessageContaining("access.token.lifetime:");
        assertThatThrownBy(() -> mapper.validateConfig(null, null, null, model(Map.of("refresh.token.issued", "maybe"))))
                .hasMessageContaining("refresh.token.issued:");
        mapper.validateConfig(null, null, null, model(Map.of("refresh.token.issued", "false")));
        mapper.validateConfig(null, null, null, model(Map.of("access.token.lifetime", "PT5M")));
    }

    @Test
    void contextClaimsMayNotShadowRegisteredClaimsAndListOnlyKnownFacts() throws Exception {
        ContextClaimsMapper mapper = new ContextClaimsMapper();
        assertThatThrownBy(() -> mapper.validateConfig(null, null, null, model(Map.of("claim.name", "sub"))))
                .hasMessageContaining("claim.name:");
        assertThatThrownBy(() -> mapper.validateConfig(null, null, null, model(Map.of("claims", "owner##password"))))
                .hasMessageContaining("claims:").hasMessageContaining("password");
        mapper.validateConfig(null, null, null, model(Map.of("claims", "owner##decision_id")));
    }

    @Test
    void everyNarrowingMapperRunsAfterKeycloaksBuiltInsAndTheContextClaimsBeforeTheLimits() {
        int scriptMapper = org.keycloak.protocol.ProtocolMapperUtils.PRIORITY_SCRIPT_MAPPER;
        assertThat(new ContextClaimsMapper().getPriority()).isGreaterThan(scriptMapper);
        assertThat(new ScopeLimitMapper().getPriority()).isGreaterThan(new ContextClaimsMapper().getPriority());
        assertThat(new AudienceLimitMapper().getPriority()).isGreaterThan(new ContextClaimsMapper().getPriority());
        assertThat(new LifetimeCapMapper().getPriority()).isGreaterThan(new ContextClaimsMapper().getPriority());
    }

    private static ProtocolMapperModel model(Map<String, String> config) {
        ProtocolMapperModel model = new ProtocolMapperModel();
        model.setConfig(new HashMap<>(config));
        return model;
    }
}
