package io.mintgate.authorizer.policy;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Where a {@link PolicyProblem} is in the policy document as an editor shows it (1-based line and column of the
 * text), so that an error is marked at its rule and not only named. A CEL problem's line and column are relative to
 * its expression, which sits inside a JSON string (with escapes); this maps them onto the document. A problem whose
 * field names a value is placed at that value; a document problem (field empty) already has document coordinates.
 */
public final class DocumentPositions {

    /** A place in the document; both 1-based. */
    public record Position(int line, int column) {
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final String source;
    /** Field path ({@code rules[2].deny}) to the character offset where its value starts. */
    private final Map<String, Integer> valueOffsets;

    private DocumentPositions(String source, Map<String, Integer> valueOffsets) {
        this.source = source;
        this.valueOffsets = valueOffsets;
    }

    /** Indexes every value of {@code source}; a document that is not valid JSON is indexed up to its error. */
    public static DocumentPositions of(String source) {
        String text = source == null ? "" : source;
        Map<String, Integer> offsets = new HashMap<>();
        try (JsonParser parser = JSON.createParser(text)) {
            Deque<Object> path = new ArrayDeque<>(); // String: a member name; int[]: the next index of an array
            JsonToken token;
            String pending = null;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    pending = parser.currentName();
                    continue;
                }
                if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    path.pop();
                    continue;
                }
                String field = child(path, pending);
                pending = null;
                offsets.putIfAbsent(field, (int) parser.currentTokenLocation().getCharOffset());
                if (token == JsonToken.START_OBJECT) {
                    path.push(field.isEmpty() ? "" : field);
                } else if (token == JsonToken.START_ARRAY) {
                    path.push(new Object[] {field, new int[] {0}});
                }
            }
        } catch (IOException malformed) {
            // The reader reports the syntax error itself, with document coordinates; what was indexed stays.
        }
        return new DocumentPositions(text, offsets);
    }

    /** The child's path under the innermost container; advances the index of an array. */
    private static String child(Deque<Object> path, String member) {
        Object parent = path.peek();
        if (parent == null) {
            return "";
        }
        if (parent instanceof Object[] array) {
            int[] next = (int[]) array[1];
            return array[0] + "[" + next[0]++ + "]";
        }
        String prefix = (String) parent;
        return prefix.isEmpty() ? member : prefix + "." + member;
    }

    /** The document position of {@code problem}, or null when it cannot be placed (a field not in the text). */
    public Position of(PolicyProblem problem) {
        String field = problem.field() == null ? "" : problem.field();
        if (field.isEmpty()) {
            return problem.line() > 0 ? new Position(problem.line(), Math.max(1, problem.column())) : null;
        }
        Integer start = valueOffsets.get(field);
        if (start == null) {
            return null;
        }
        if (problem.line() > 0 && start < source.length() && source.charAt(start) == '"') {
            return at(insideString(start, problem.line(), Math.max(1, problem.column())));
        }
        return at(start);
    }

    /**
     * The offset in the document of the expression's (line, column) inside the JSON string starting at
     * {@code quote}: walks the raw characters, decoding escapes, counting the expression's own lines.
     */
    private int insideString(int quote, int line, int column) {
        int i = quote + 1;
        int l = 1;
        int c = 1;
        while (i < source.length() && source.charAt(i) != '"') {
            if (l == line && c == column) {
                return i;
            }
            char raw = source.charAt(i);
            boolean newline = false;
            if (raw == '\\' && i + 1 < source.length()) {
                char escaped = source.charAt(i + 1);
                newline = escaped == 'n';
                i += escaped == 'u' ? 6 : 2;
            } else {
                newline = raw == '\n';
                i++;
            }
            if (newline) {
                l++;
                c = 1;
            } else {
                c++;
            }
        }
        return Math.min(i, source.length());
    }

    private Position at(int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset && i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Position(line, column);
    }
}
