package io.mintgate.authorizer.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Every policy pack in docs/policies passes its own tests, run as `java -jar ... test` runs them. */
class PolicyPacksTest {

    private static final Path PACKS = Path.of("..", "docs", "policies");

    @Test
    void everyPackInTheDocsPassesItsOwnTests() throws IOException {
        List<Path> packs;
        try (Stream<Path> files = Files.list(PACKS)) {
            packs = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(packs).as("packs in %s", PACKS.toAbsolutePath()).isNotEmpty();
        for (Path pack : packs) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = PolicyTestCommand.run(new String[]{pack.toString()}, new PrintStream(out, true,
                    StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String report = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
            assertThat(status).as("%s:%n%s", pack, report).isZero();
            assertThat(report).as("%s", pack).doesNotContain("FAIL", "ERROR").contains(" 0 failed, 0 malformed");
        }
    }
}
