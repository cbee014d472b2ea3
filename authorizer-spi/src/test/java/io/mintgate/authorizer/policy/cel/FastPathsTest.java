package io.mintgate.authorizer.policy.cel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-rolled replacements of per-request regex/stream code behave exactly like the originals. */
class FastPathsTest {

    @Test
    void splitListAgreesWithTheRegexItReplaced() {
        String alphabet = "ab,, \t\n\u000B\f\r\u00A0\u2003x:*";
        Random random = new Random(42);
        for (int n = 0; n < 5_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(MintgateFunctions.splitList(text.toString())).as("'%s'", text)
                    .isEqualTo(regexSplit(text.toString()));
        }
    }

    @Test
    void ipv4ParsingAgreesWithTheSplitBasedParser() {
        String[] addresses = {"10.20.30.40", "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1..3.4",
                "1.2.3.", ".1.2.3", "001.002.003.004", "1.2.3.4444", "1.2.3.-4", "1.2.3.+4", "a.b.c.d", "",
                "\u0661.2.3.4", "1.2.3.4 "};
        for (String address : addresses) {
            assertThat(Cidr.parseAddress(address)).as(address).isEqualTo(splitIpv4(address));
        }
    }

    private static List<String> regexSplit(String text) {
        List<String> out = new ArrayList<>();
        for (String item : text.split("[,\\s]+")) {
            if (!item.isEmpty()) {
                out.add(item);
            }
        }
        return out;
    }

    /** The IPv4 parser as it was before it was hand-rolled. */
    private static byte[] splitIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }
}
