package io.mintgate.audit.keycloak;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The scope/audience splitter keeps exactly what the regex split it replaced kept. */
class DetailSplitTest {

    private static List<String> byRegex(String value, Pattern separator) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> kept = new ArrayList<>();
        for (String part : separator.split(value.trim())) {
            if (!part.isBlank()) {
                kept.add(part);
            }
        }
        return kept;
    }

    @Test
    void splitsLikeTheRegexOnHandPickedValues() {
        for (String value : new String[]{null, "", " ", "openid", "openid profile email", "  a  b ", "a,b c",
                ",a,,b,", "\ta b\t", "a\tb c", " , ", "x,\t,y", "urn:x:y orders:read"}) {
            assertThat(EventRecordMapper.split(value, false)).as("scope %s", value)
                    .isEqualTo(byRegex(value, Pattern.compile(" ")));
            assertThat(EventRecordMapper.split(value, true)).as("audience %s", value)
                    .isEqualTo(byRegex(value, Pattern.compile("[ ,]")));
        }
    }

    @Test
    void splitsLikeTheRegexOnRandomValues() {
        Random random = new Random(42);
        char[] alphabet = {' ', ',', '\t', '\n', 'a', 'b', ':', '\u00a0'};
        for (int i = 0; i < 20_000; i++) {
            char[] chars = new char[random.nextInt(9)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = alphabet[random.nextInt(alphabet.length)];
            }
            String value = new String(chars);
            assertThat(EventRecordMapper.split(value, false)).as("scope [%s]", value)
                    .isEqualTo(byRegex(value, Pattern.compile(" ")));
            assertThat(EventRecordMapper.split(value, true)).as("audience [%s]", value)
                    .isEqualTo(byRegex(value, Pattern.compile("[ ,]")));
        }
    }
}
