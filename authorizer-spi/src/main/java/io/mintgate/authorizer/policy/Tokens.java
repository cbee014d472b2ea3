package io.mintgate.authorizer.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into the non-empty runs between separators, without the regex {@code String.split} would compile
 * on every call (scope parameters and list attributes are split on every token request).
 */
public final class Tokens {

    private Tokens() {
    }

    /**
     * The runs between whitespace (what the regex class {@code \s} matches) and, when {@code commaSeparates}, commas;
     * in order, empty runs dropped. A fresh mutable list.
     */
    public static List<String> split(String text, boolean commaSeparates) {
        List<String> out = new ArrayList<>(4);
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean separator = i == text.length() || isSeparator(text.charAt(i), commaSeparates);
            if (!separator && start < 0) {
                start = i;
            } else if (separator && start >= 0) {
                out.add(start == 0 && i == text.length() ? text : text.substring(start, i));
                start = -1;
            }
        }
        return out;
    }

    private static boolean isSeparator(char c, boolean commaSeparates) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || commaSeparates && c == ',';
    }
}
