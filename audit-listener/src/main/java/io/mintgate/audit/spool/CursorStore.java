package io.mintgate.audit.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-sink "shipped up to seq" markers, one small file per sink in the spool directory ({@code cursor-<sink>}).
 * Written with an atomic rename and without fsync: losing the latest cursor only re-ships records, which
 * at-least-once delivery allows; a torn cursor file cannot happen.
 */
final class CursorStore {
    private final Path dir;
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();

    CursorStore(Path dir) {
        this.dir = dir;
    }

    long load(String sink, long defaultSeq) {
        return cursors.computeIfAbsent(sink, s -> {
            Path file = file(s);
            try {
                return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()) : defaultSeq;
            } catch (IOException | NumberFormatException e) {
                // An unreadable cursor re-ships from the start of the spool rather than skipping anything.
                return defaultSeq;
            }
        });
    }

    long get(String sink) {
        return cursors.getOrDefault(sink, 0L);
    }

    /** Moves the cursor forward only; a late ack of an older batch never rewinds it. */
    synchronized void advance(String sink, long seq) {
        long current = cursors.getOrDefault(sink, 0L);
        if (seq <= current) {
            return;
        }
        cursors.put(sink, seq);
        Path file = file(sink);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, Long.toString(seq), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist audit cursor " + file, e);
        }
    }

    long min(Iterable<String> sinks, long ifNone) {
        long min = Long.MAX_VALUE;
        for (String s : sinks) {
            min = Math.min(min, get(s));
        }
        return min == Long.MAX_VALUE ? ifNone : min;
    }

    private Path file(String sink) {
        return dir.resolve("cursor-" + sink);
    }
}
