package io.mintgate.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads frames sequentially from a segment channel; reports where the last valid frame ended. */
final class FrameReader {
    private final FileChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(Frame.HEADER);
    private long position;
    private boolean corrupt;

    FrameReader(FileChannel channel, long position) {
        this.channel = channel;
        this.position = position;
    }

    /**
     * @param maxSeq frames with a higher seq are not consumed (the writer may still be writing them)
     * @return the next frame, or null at end of data, at a frame beyond maxSeq, or at a damaged frame
     */
    SpoolEntry next(long maxSeq) throws IOException {
        header.clear();
        if (!readFully(header, position)) {
            return null;
        }
        header.flip();
        int length = header.getInt();
        long seq = header.getLong();
        long time = header.getLong();
        int crc = header.getInt();
        if (seq > maxSeq) {
            return null;
        }
        if (length < 0 || length > Frame.MAX_PAYLOAD) {
            corrupt = true;
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        if (!readFully(body, position + Frame.HEADER)) {
            corrupt = true;
            return null;
        }
        byte[] payload = body.array();
        if (Frame.crc(seq, time, payload, 0, length) != crc) {
            corrupt = true;
            return null;
        }
        position += Frame.HEADER + length;
        return new SpoolEntry(seq, time, payload);
    }

    long position() {
        return position;
    }

    /** True when reading stopped at bytes that are not a whole, intact frame. */
    boolean stoppedAtDamage() {
        return corrupt;
    }

    private boolean readFully(ByteBuffer buf, long at) throws IOException {
        long p = at;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, p);
            if (n <= 0) {
                return false;
            }
            p += n;
        }
        return true;
    }
}
