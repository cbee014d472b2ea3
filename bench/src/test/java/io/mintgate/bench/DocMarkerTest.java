package io.mintgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -Dbench.updateDoc=true} finds its results block among the dated runs of docs/performance/. */
class DocMarkerTest {

    /** The folder of the dated runs, seen from this module's folder (surefire's working directory). */
    private static final Path RUNS = Path.of("..", "docs", "performance");

    @Test
    void everyComparisonHasItsResultsBlockInExactlyOneFileOfTheDatedRuns() throws IOException {
        for (Comparison c : Comparison.values()) {
            Path doc = AbBenchmark.docWithMarker(RUNS, c.docMarker);
            assertThat(Files.readString(doc)).contains("<!-- " + c.docMarker + ":end -->");
        }
    }

    @Test
    void aFolderFindsTheOneFileWithTheBlockAndTheBlockIsReplaced(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("runs-a.md"), "# A\n<!-- ab-results:begin -->\nold\n<!-- ab-results:end -->\n");
        Files.writeString(dir.resolve("runs-b.md"), "# B\n<!-- ab-same-results:begin -->\n<!-- ab-same-results:end -->\n");
        Path doc = AbBenchmark.docWithMarker(dir, "ab-results");
        assertThat(doc).isEqualTo(dir.resolve("runs-a.md"));
        AbBenchmark.updateDoc(doc, "ab-results", "new\n");
        assertThat(Files.readString(doc)).isEqualTo("# A\n<!-- ab-results:begin -->\nnew\n<!-- ab-results:end -->\n");
        assertThat(AbBenchmark.docWithMarker(dir.resolve("runs-b.md"), "ab-results")).isEqualTo(dir.resolve("runs-b.md"));
    }

    @Test
    void noFileOrTwoFilesWithTheBlockAreRefused(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> AbBenchmark.docWithMarker(dir, "ab-results")).hasMessageContaining("has 0");
        Files.writeString(dir.resolve("one.md"), "<!-- ab-results:begin -->\n<!-- ab-results:end -->\n");
        Files.writeString(dir.resolve("two.md"), "<!-- ab-results:begin -->\n<!-- ab-results:end -->\n");
        assertThatThrownBy(() -> AbBenchmark.docWithMarker(dir, "ab-results")).hasMessageContaining("has 2");
    }
}
