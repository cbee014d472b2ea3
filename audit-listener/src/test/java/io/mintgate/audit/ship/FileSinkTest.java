package io.mintgate.audit.ship;

import io.mintgate.audit.format.RecordFormat;
import io.mintgate.audit.spool.SpoolEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class FileSinkTest {
    @TempDir
    Path dir;

    @Test
    void theFileIsRotatedBySizeAndNoLineIsLostOrSplitAcrossFiles() throws Exception {
        Path path = dir.resolve("audit.jsonl");
        try (FileSink sink = new FileSink(path, 1000, RecordFormat.JSON)) {
            for (int b = 0; b < 10; b++) {
                List<SpoolEntry> batch = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    long seq = b * 5L + i + 1;
                    batch.add(new SpoolEntry(seq, 0, ("{\"mintgateseq\":" + seq + ",\"pad\":\"" + "x".repeat(40) + "\"}")
                            .getBytes(StandardCharsets.UTF_8)));
                }
                sink.send(batch);
            }
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.sorted().toList();
        }
        assertThat(files.size()).isGreaterThan(2);
        assertThat(files).allMatch(f -> f.getFileName().toString().startsWith("audit"));
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            if (!f.equals(path)) {
                assertThat(Files.size(f)).isLessThanOrEqualTo(1000);
                lines.addAll(Files.readAllLines(f));
            }
        }
        lines.addAll(Files.readAllLines(path));
        assertThat(lines).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(lines.get(i)).startsWith("{\"mintgateseq\":" + (i + 1) + ",");
        }
    }
}
