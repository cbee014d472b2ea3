package io.mintgate.audit.ship;

import io.mintgate.audit.chain.ChainId;
import io.mintgate.audit.format.RecordFormat;
import io.mintgate.audit.options.OptionFiles;
import io.mintgate.audit.options.OptionValues;
import io.mintgate.audit.spool.SpoolEntry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

/**
 * Writes records as JSON lines (CloudEvents, or OCSF events with {@code file-format=ocsf}) to a file and rotates by size: when the next batch would push the file past
 * {@code maxBytes}, it is renamed to {@code <name>-<UTC timestamp, microseconds>.<ext>} (names sort in write order) and a new file
 * is started. Each batch is fsynced before it counts as shipped, so the cursor never runs ahead of the file.
 */
public final class FileSink implements Sink {
    public static final SinkType TYPE = new SinkType("file", Set.of("file-path", "file-max-bytes", "file-format"),
            Settings::read);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path path;
    private final long maxBytes;
    private final RecordFormat format;
    private FileChannel channel;
    private long lastRotationMicros;
    private static final int RETAINED_BUFFER_MAX = 1 << 20;
    /** Reused across batches (one shipper thread calls send); a batch bigger than 1 MiB gets a buffer of its own. */
    private ByteBuffer reusable = ByteBuffer.allocate(64 << 10);

    public FileSink(Path path, long maxBytes, RecordFormat format) {
        this.path = path;
        this.maxBytes = maxBytes;
        this.format = format;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public void send(List<SpoolEntry> batch) throws IOException {
        List<byte[]> lines = batch.stream().map(format::render).toList();
        int size = 0;
        for (byte[] line : lines) {
            size += line.length + 1;
        }
        FileChannel out = channel();
        if (out.size() > 0 && out.size() + size > maxBytes) {
            rotate();
            out = channel();
        }
        if (reusable.capacity() < size && size <= RETAINED_BUFFER_MAX) {
            reusable = ByteBuffer.allocate(size);
        }
        ByteBuffer buf = reusable.capacity() >= size ? reusable.clear() : ByteBuffer.allocate(size);
        for (byte[] line : lines) {
            buf.put(line).put((byte) '\n');
        }
        buf.flip();
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        out.force(false);
    }

    private FileChannel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
        return channel;
    }

    private void rotate() throws IOException {
        channel.close();
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        // Microsecond stamps that only move forward keep rotated names unique and in write order when sorted.
        Instant now = Instant.now();
        long micros = Math.max(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000, lastRotationMicros + 1);
        Path target;
        do {
            target = path.resolveSibling(base + "-" + STAMP.format(Instant.EPOCH.plus(micros, ChronoUnit.MICROS)) + ext);
            micros++;
        } while (Files.exists(target));
        lastRotationMicros = micros - 1;
        Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    /** Where to write, when to rotate, and the line format. */
    public record Settings(Path path, long maxBytes, RecordFormat format) implements SinkSettings {
        @Override
        public String name() {
            return TYPE.name();
        }

        @Override
        public Sink open(ChainId chain) {
            return new FileSink(path, maxBytes, format);
        }

        /** {@code file-path} defaults to {@code audit.jsonl} in the spool directory (checked with spool-dir). */
        static Settings read(OptionValues o, boolean enabled, Path spoolDir) {
            Path filePath = o.path("file-path");
            if (filePath == null) {
                filePath = spoolDir.resolve("audit.jsonl");
            } else if (enabled) {
                OptionFiles.writableFile(o, "file-path", filePath);
            }
            long maxBytes = o.number("file-max-bytes", 100L << 20, 4_096, Long.MAX_VALUE);
            return new Settings(filePath, maxBytes, SinkType.format(o, "file-format"));
        }
    }
}
