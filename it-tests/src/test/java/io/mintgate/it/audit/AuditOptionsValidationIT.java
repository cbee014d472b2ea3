package io.mintgate.it.audit;

import static io.mintgate.it.harness.AuditSinks.OPTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import io.mintgate.it.harness.DistributionKeycloak;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A wrong audit option fails the server's start with one message that names every wrong option, its value (never a
 * secret's) and what was expected, instead of starting and then piling records up in the spool. The shared server is
 * restarted with the bad options, then with the standard ones.
 */
@MintgateIT
class AuditOptionsValidationIT {

    private DistributionKeycloak server;

    @BeforeAll
    void setUp(KeycloakRuntime keycloak) {
        assumeTrue(keycloak instanceof DistributionKeycloak, "restarts with other options need the distribution runtime");
        this.server = (DistributionKeycloak) keycloak;
    }

    @AfterAll
    void restoreStandardServer() {
        if (server != null) {
            server.restartWith(List.of(), false);
        }
    }

    @Test
    void aServerWithBadAuditOptionsDoesNotStartAndItsLogNamesEveryOne() {
        String secret = "s3cr-it-xyz"; // too short for an HMAC secret
        assertThatThrownBy(() -> server.restartWith(List.of(
                OPTION + "http-url=http://127.0.0.1:notaport/x",
                OPTION + "queue-capacity=lots",
                OPTION + "http-hmac-secret=" + secret), false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before it was ready");

        String log = server.log();
        assertThat(log).contains("Mintgate audit cannot start: 3 invalid server options:")
                .contains(OPTION + "http-url=http://127.0.0.1:notaport/x: expected an http or https URL with a host")
                .contains(OPTION + "queue-capacity=lots: expected a whole number from 1 to 16777216")
                .contains(OPTION + "http-hmac-secret=(hidden): expected at least 16 characters")
                .doesNotContain(secret)
                .doesNotContain("Mintgate audit started");
        System.out.printf("[options] start refused as expected; log: %s%n",
                log.lines().filter(l -> l.contains("invalid server option")).findFirst().orElse("?").strip());
    }
}
