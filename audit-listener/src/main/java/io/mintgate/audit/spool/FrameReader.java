package io.mintgate.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads frames sequentially from a segment channel; reports where the last valid frame ended. A zeroed header is
 * the end of the data: segment files are zero-filled ahead of their records, and no frame has seq 0.
 */
final class FrameReader {
    private final FileChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(Frame.HEADER);
    private final CRC32C crc = new CRC32C();
    private long position;

    FrameReader(FileChannel channel, long position) {
        this.channel = channel;
        this.position = position;
    }

    /**
     * @param maxSeq frames with a higher seq are not consumed (the writer may still be writing them)
     * @return the next frame, or null at end of data (end of file or zero fill), at a frame beyond maxSeq, or at a
     *         damaged frame
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
        int expectedCrc = header.getInt();
        if (seq > maxSeq || seq == 0 && length == 0 || length < 0 || length > Frame.MAX_PAYLOAD) {
            return null;
        }
        byte[] payload = new byte[length];
        if (!readFully(ByteBuffer.wrap(payload), position + Frame.HEADER)
                || Frame.crc(this.crc, header.array(), 0, payload, 0, length) != expectedCrc) {
            return null;
        }
        position += Frame.HEADER + length;
        return new SpoolEntry(seq, time, payload);
    }

    long position() {
        return position;
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
