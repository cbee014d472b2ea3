package io.mintgate.authorizer.keycloak;

import java.util.ArrayList;
import java.util.List;

/**
 * Space-separated OAuth parameter values ({@code scope}, RFC 6749 §3.3): the tokens between runs of whitespace,
 * exactly what {@code value.trim().split("\\s+")} gives, without compiling that regex on every token request.
 */
public final class ScopeStrings {

    private ScopeStrings() {
    }

    /** The values in order (duplicates kept); empty for null or blank. */
    public static List<String> split(String value) {
        if (value == null) {
            return List.of();
        }
        value = value.trim(); // also strips other control characters at the ends, as the regex version did
        List<String> values = new ArrayList<>(4);
        int start = -1;
        for (int i = 0; i < value.length(); i++) {
            if (isSeparator(value.charAt(i))) {
                if (start >= 0) {
                    values.add(value.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            values.add(start == 0 ? value : value.substring(start));
        }
        return values.isEmpty() ? List.of() : List.copyOf(values);
    }

    /** The regex {@code \s} class: space, tab, newline, vertical tab, form feed, carriage return. */
    private static boolean isSeparator(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}
