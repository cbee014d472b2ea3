package io.mintgate.authorizer.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The server option metrics-per-rule: off unless true, and a typo stops the start naming the option. */
class MetricsPerRuleOptionTest {

    @Test
    void offByDefaultOnOnlyForTrue() {
        assertThat(IssuanceAuthorizerExecutorFactory.perRule(null)).isFalse();
        assertThat(IssuanceAuthorizerExecutorFactory.perRule(" ")).isFalse();
        assertThat(IssuanceAuthorizerExecutorFactory.perRule("false")).isFalse();
        assertThat(IssuanceAuthorizerExecutorFactory.perRule("TRUE")).isTrue();
    }

    @Test
    void anythingElseStopsTheStartNamingTheOption() {
        assertThatThrownBy(() -> IssuanceAuthorizerExecutorFactory.perRule("yes"))
                .hasMessage("--spi-client-policy-executor--issuance-authorizer--metrics-per-rule must be true or false, was 'yes'");
    }
}
