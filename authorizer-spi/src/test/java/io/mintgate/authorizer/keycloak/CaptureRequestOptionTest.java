package io.mintgate.authorizer.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintgate.authorizer.keycloak.enforce.IssuanceDecisions;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;

/** The server option {@code --spi-client-policy-executor--issuance-authorizer--capture-request}. */
class CaptureRequestOptionTest {

    @AfterEach
    void backToTheDefault() {
        IssuanceDecisions.captureRequests(true);
    }

    @Test
    void capturingIsOnByDefaultAndTheOptionTurnsItOff() {
        new IssuanceAuthorizerExecutorFactory().init(scope(Map.of()));
        assertThat(IssuanceDecisions.capturesRequests()).isTrue();
        new IssuanceAuthorizerExecutorFactory().init(scope(Map.of("capture-request", "false")));
        assertThat(IssuanceDecisions.capturesRequests()).isFalse();
    }

    @Test
    void aValueOtherThanTrueOrFalseStopsTheStartNamingTheOption() {
        assertThatThrownBy(() -> new IssuanceAuthorizerExecutorFactory().init(scope(Map.of("capture-request", "no"))))
                .hasMessageContaining("--spi-client-policy-executor--issuance-authorizer--capture-request must be true or false");
    }

    private static Config.Scope scope(Map<String, String> values) {
        return (Config.Scope) Proxy.newProxyInstance(CaptureRequestOptionTest.class.getClassLoader(),
                new Class<?>[]{Config.Scope.class},
                (proxy, method, args) -> method.getName().equals("get") && args != null && args.length == 1
                        ? values.get((String) args[0]) : null);
    }
}
