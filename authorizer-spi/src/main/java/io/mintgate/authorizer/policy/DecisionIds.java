package io.mintgate.authorizer.policy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * UUIDv7-style ids: 48 bits of epoch millis then random bits, so ids sort by time and need no coordination.
 * Uniqueness rests on 74 random bits per millisecond, which is plenty for audit correlation.
 */
public final class DecisionIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DecisionIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        char[] out = new char[36];
        int p = 0;
        p = hex(msb >>> 32, 8, out, p);
        out[p++] = '-';
        p = hex(msb >>> 16, 4, out, p);
        out[p++] = '-';
        p = hex(msb, 4, out, p);
        out[p++] = '-';
        p = hex(lsb >>> 48, 4, out, p);
        out[p++] = '-';
        hex(lsb, 12, out, p);
        return new String(out);
    }

    private static int hex(long value, int digits, char[] out, int at) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        return at + digits;
    }
}
