package io.mintgate.audit.spool;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * On-disk framing of one entry: {@code int length | long seq | long appendedAtMillis | int crc32c | payload}.
 * The CRC covers seq, time and payload, so a torn tail (half-written frame after kill -9 or power loss) is detected
 * and cut instead of being shipped as garbage.
 */
final class Frame {
    static final int HEADER = 4 + 8 + 8 + 4;
    /** A record is a few KiB at most; anything bigger is a corrupt length field. */
    static final int MAX_PAYLOAD = 16 << 20;
    /** Where seq and time sit in the header: the CRC reads them in place. */
    private static final int SEQ_TIME_OFFSET = 4;
    private static final int SEQ_TIME_LENGTH = 16;

    private Frame() {
    }

    /** Appends one frame to the heap buffer {@code out}; {@code crc} is the caller's, reused across frames. */
    static void write(ByteBuffer out, CRC32C crc, long seq, long time, byte[] payload, int length) {
        int start = out.position();
        out.putInt(length).putLong(seq).putLong(time);
        int value = crc(crc, out.array(), out.arrayOffset() + start, payload, 0, length);
        out.putInt(value).put(payload, 0, length);
    }

    /**
     * CRC of a frame whose header starts at {@code header[headerOffset]} (its seq and time already in place) and whose
     * payload is {@code payload[off, off + len)}.
     */
    static int crc(CRC32C crc, byte[] header, int headerOffset, byte[] payload, int off, int len) {
        crc.reset();
        crc.update(header, headerOffset + SEQ_TIME_OFFSET, SEQ_TIME_LENGTH);
        crc.update(payload, off, len);
        return (int) crc.getValue();
    }
}
