package io.mintgate.it.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import org.junit.jupiter.api.Test;

/** The one drop-in jar loads in a vanilla Keycloak after kc.sh build, with every provider registered. */
@MintgateIT
class BundleLoadsIT {

    /** Every provider the bundle registers, by the SPI it registers under in /admin/serverinfo. */
    private static final List<String[]> PROVIDERS = List.of(
            new String[] {"client-policy-executor", "issuance-authorizer"},
            new String[] {"client-policy-executor", "nhi-issuance-controls"},
            new String[] {"client-policy-manager", "mintgate-cached"},
            new String[] {"eventsStore", "mintgate-jpa"},
            new String[] {"eventsListener", "mintgate-decision-details"},
            new String[] {"eventsListener", "mintgate-budget-refund"},
            new String[] {"eventsListener", "mintgate-audit"},
            new String[] {"eventsListener", "mintgate-owner-offboarding"},
            new String[] {"token-interceptor", "mintgate-issuance"},
            new String[] {"token-interceptor", "mintgate-decision-id-claims"},
            new String[] {"protocol-mapper", "mintgate-scope-limit"},
            new String[] {"protocol-mapper", "mintgate-audience-limit"},
            new String[] {"protocol-mapper", "mintgate-lifetime-cap"},
            new String[] {"protocol-mapper", "mintgate-context-claims"});

    @Test
    void everyMintgateProviderAppearsInServerInfo(AdminApi admin) {
        JsonNode providers = admin.get("/admin/serverinfo").expect(200).json().get("providers");
        List<String> missing = new ArrayList<>();
        for (String[] provider : PROVIDERS) {
            JsonNode spi = providers.get(provider[0]);
            if (spi == null || !spi.get("providers").has(provider[1])) {
                missing.add(provider[0] + "/" + provider[1]);
            }
        }
        assertThat(missing).as("providers missing from /admin/serverinfo").isEmpty();
    }

    @Test
    void clientPoliciesRunThroughMintgatesCachingManager(AdminApi admin, KeycloakRuntime keycloak) {
        // serverinfo lists Keycloak's "default" manager too; which one runs shows only when a session asks for one
        admin.get("/admin/realms/master/client-policies/policies").expect(200);
        assertThat(keycloak.log()).contains("Client policies are run by Mintgate's client-policy manager (mintgate-cached)");
    }

    @Test
    void eventsAreStoredByMintgatesEventStore(KeycloakRuntime keycloak) {
        assertThat(keycloak.log()).contains("Keycloak's event store is Mintgate's 'mintgate-jpa'");
    }

    @Test
    void serverLogHasNoProviderOrClassLoadingError(KeycloakRuntime keycloak) {
        // Class-loading trouble anywhere, or an ERROR-level line from a Mintgate logger or about a provider while the
        // server boots: later ERROR lines are other tests' deliberate failures (a deleted stored policy logs one).
        Pattern classLoading = Pattern.compile(
                "ClassNotFoundException|NoClassDefFoundError|ServiceConfigurationError|LinkageError");
        Pattern providerError = Pattern.compile("\\sERROR\\s+\\[(io\\.mintgate|org\\.keycloak\\.provider"
                + "|org\\.keycloak\\.services\\.DefaultKeycloakSessionFactory)");
        List<String> log = keycloak.log().lines().toList();
        int started = IntStream.range(0, log.size()).filter(i -> log.get(i).contains(" started in ")).findFirst()
                .orElseThrow(() -> new AssertionError("no 'started in' line in the server log"));
        List<String> bad = IntStream.range(0, log.size())
                .filter(i -> classLoading.matcher(log.get(i)).find()
                        || i <= started && providerError.matcher(log.get(i)).find())
                .mapToObj(log::get).toList();
        assertThat(bad).as("problem lines in the server log").isEmpty();
    }
}
