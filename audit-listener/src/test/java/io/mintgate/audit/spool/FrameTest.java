package io.mintgate.audit.spool;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

class FrameTest {
    @Test
    void framesKeepTheirOnDiskLayoutWhenTheCrcIsReusedAcrossFrames() {
        CRC32C reused = new CRC32C();
        ByteBuffer out = ByteBuffer.allocate(1024);
        byte[] first = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] second = "{\"b\":\"ü\"}trailing garbage".getBytes(StandardCharsets.UTF_8);
        Frame.write(out, reused, 1, 1_795_000_000_000L, first, first.length);
        Frame.write(out, reused, 2, 1_795_000_000_001L, second, 10);
        out.flip();

        assertFrame(out, 1, 1_795_000_000_000L, first, first.length);
        assertFrame(out, 2, 1_795_000_000_001L, second, 10);
        assertThat(out.hasRemaining()).isFalse();
    }

    /** length | seq | time | CRC-32C over (seq, time, payload), big-endian, computed here from scratch. */
    private static void assertFrame(ByteBuffer in, long seq, long time, byte[] payload, int length) {
        assertThat(in.getInt()).isEqualTo(length);
        assertThat(in.getLong()).isEqualTo(seq);
        assertThat(in.getLong()).isEqualTo(time);
        CRC32C expected = new CRC32C();
        expected.update(ByteBuffer.allocate(16).putLong(seq).putLong(time).flip());
        expected.update(payload, 0, length);
        assertThat(in.getInt()).isEqualTo((int) expected.getValue());
        byte[] body = new byte[length];
        in.get(body);
        assertThat(body).isEqualTo(java.util.Arrays.copyOf(payload, length));
    }
}
