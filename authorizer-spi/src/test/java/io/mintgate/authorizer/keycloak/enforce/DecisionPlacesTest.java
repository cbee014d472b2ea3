package io.mintgate.authorizer.keycloak.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class DecisionPlacesTest {

    @Test
    void everyDecisionPlaceIsARowOfTheTableInTheArchitecturePage() throws IOException {
        String page = Files.readString(Path.of("../docs/architecture.md"));
        String table = page.substring(page.indexOf("**The five decision places.**"),
                page.indexOf("### Adding something a later step needs"));
        List<String> places = Arrays.stream(DecisionPlaces.class.getDeclaredMethods())
                .filter(method -> !Modifier.isPrivate(method.getModifiers()) && !method.isSynthetic())
                .map(Method::getName)
                .toList();

        assertThat(places).hasSize(6).allSatisfy(place -> assertThat(table).contains("`" + place + "`"));
        assertThat(table.lines().filter(line -> line.matches("\\| \\d \\|.*"))).hasSize(5);
    }
}
