package io.mintgate.audit.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A shipper's sequential view of the spool. Keeps the current segment open between calls so steady-state reading is
 * a plain sequential read; re-seeks from the cursor when asked for something else (after a failed batch, or after
 * drop-oldest removed the segment it was in).
 */
public final class SpoolReader implements AutoCloseable {
    private final Spool spool;
    private Segment segment;
    private FileChannel channel;
    private FrameReader frames;
    private long lastSeq = -1;

    SpoolReader(Spool spool) {
        this.spool = spool;
    }

    /** Up to {@code maxRecords} durable entries with seq greater than {@code afterSeq}, in order. */
    public List<SpoolEntry> read(long afterSeq, int maxRecords, long maxBytes) throws IOException {
        long durable = spool.durableSeq();
        List<SpoolEntry> out = new ArrayList<>();
        if (afterSeq >= durable) {
            return out;
        }
        if (frames == null || lastSeq != afterSeq || segment.deleted) {
            if (!seek(afterSeq)) {
                return out;
            }
        }
        long bytes = 0;
        while (out.size() < maxRecords && bytes < maxBytes && lastSeq < durable) {
            SpoolEntry entry = frames.next(durable);
            if (entry == null) {
                Segment next = spool.segmentAfter(segment);
                if (next == null || segment.lastSeq > lastSeq && !segment.deleted) {
                    break;
                }
                open(next);
                continue;
            }
            if (entry.seq() <= afterSeq) {
                continue;
            }
            lastSeq = entry.seq();
            bytes += entry.payload().length;
            out.add(entry);
        }
        return out;
    }

    private boolean seek(long afterSeq) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            Segment s = spool.segmentContaining(afterSeq + 1);
            if (s == null) {
                return false;
            }
            try {
                open(s);
                lastSeq = afterSeq;
                return true;
            } catch (NoSuchFileException deletedMeanwhile) {
                // drop-oldest or cleanup removed it between lookup and open: look again.
            }
        }
        return false;
    }

    private void open(Segment s) throws IOException {
        closeChannel();
        channel = FileChannel.open(s.path, StandardOpenOption.READ);
        segment = s;
        frames = new FrameReader(channel, 0);
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
            frames = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }
}
