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

    private Frame() {
    }

    static void write(ByteBuffer out, long seq, long time, byte[] payload) {
        out.putInt(payload.length).putLong(seq).putLong(time).putInt(crc(seq, time, payload, 0, payload.length))
                .put(payload);
    }

    static int crc(long seq, long time, byte[] payload, int off, int len) {
        CRC32C crc = new CRC32C();
        ByteBuffer head = ByteBuffer.allocate(16).putLong(seq).putLong(time).flip();
        crc.update(head);
        crc.update(payload, off, len);
        return (int) crc.getValue();
    }
}
