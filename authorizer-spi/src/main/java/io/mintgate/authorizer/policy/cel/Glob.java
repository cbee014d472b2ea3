package io.mintgate.authorizer.policy.cel;

/**
 * Shell-style globs: {@code *} matches any run of characters (including none), {@code ?} exactly one.
 * Matched without regular expressions so that no pattern can cause catastrophic backtracking.
 */
public final class Glob {

    private Glob() {
    }

    public static boolean matches(String pattern, String value) {
        int p = 0;
        int v = 0;
        int starP = -1;
        int starV = 0;
        while (v < value.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))) {
                p++;
                v++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starV = v;
            } else if (starP >= 0) {
                p = starP + 1;
                v = ++starV;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    public static boolean matchesAny(Iterable<?> patterns, String value) {
        for (Object pattern : patterns) {
            if (matches(String.valueOf(pattern), value)) {
                return true;
            }
        }
        return false;
    }

    /** True when every value matches at least one pattern; vacuously true for no values. */
    public static boolean allMatchAny(Iterable<?> values, Iterable<?> patterns) {
        for (Object value : values) {
            if (!matchesAny(patterns, String.valueOf(value))) {
                return false;
            }
        }
        return true;
    }
}
