package io.mintgate.it.grants;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import org.junit.jupiter.api.Test;

/**
 * "A grant path we do not cover is a hole": every grant type the realm's discovery document advertises must have a
 * test that shows a policy refusal AND a policy-approved mint on that path. Those tests run in the same suite, so a
 * failing one fails the build; this class fails when one is missing.
 */
@MintgateIT
class GrantTypeCoverageIT {

    @Test
    void everyAdvertisedGrantTypeHasADenyAndAnAllowTest(AdminApi admin, KeycloakRuntime keycloak) {
        JsonNode discovery = admin.get("/realms/master/.well-known/openid-configuration").expect(200).json();
        List<String> advertised = new ArrayList<>();
        discovery.get("grant_types_supported").forEach(g -> advertised.add(g.asText()));
        assertThat(advertised).as("grant types advertised by %s", keycloak.baseUri()).isNotEmpty();

        Map<String, Set<CoversGrant.Outcome>> covered = coveredGrantTypes();
        List<String> holes = new ArrayList<>();
        for (String grantType : advertised) {
            Set<CoversGrant.Outcome> outcomes = covered.getOrDefault(grantType, Set.of());
            if (!outcomes.containsAll(EnumSet.allOf(CoversGrant.Outcome.class))) {
                holes.add(grantType + " (has " + outcomes + ")");
            }
        }
        assertThat(holes).as("advertised grant types without a deny and an allow test").isEmpty();
    }

    /** Scans the compiled test classes of this package for @CoversGrant methods. */
    private static Map<String, Set<CoversGrant.Outcome>> coveredGrantTypes() {
        Map<String, Set<CoversGrant.Outcome>> covered = new TreeMap<>();
        for (Class<?> type : testClassesOfThisPackage()) {
            for (Method method : type.getDeclaredMethods()) {
                CoversGrant covers = method.getAnnotation(CoversGrant.class);
                if (covers != null && method.isAnnotationPresent(Test.class)) {
                    covered.computeIfAbsent(covers.value(), k -> EnumSet.noneOf(CoversGrant.Outcome.class)).add(covers.outcome());
                }
            }
        }
        return covered;
    }

    private static List<Class<?>> testClassesOfThisPackage() {
        try {
            Path dir = Path.of(GrantTypeCoverageIT.class.getResource("GrantTypeCoverageIT.class").toURI()).getParent();
            List<Class<?>> classes = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith("IT.class")).toList()) {
                    String name = file.getFileName().toString().replace(".class", "");
                    classes.add(Class.forName(GrantTypeCoverageIT.class.getPackageName() + "." + name));
                }
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
