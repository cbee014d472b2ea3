package io.mintgate.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The example policies exactly as docs/policy-reference.md shows them, so the end-to-end tests prove the documented
 * policy and not a copy of it that could drift.
 */
public final class DocumentedPolicy {

    private DocumentedPolicy() {
    }

    /** The first JSON code block after the heading that starts with {@code ### <heading>}. */
    public static String example(String heading) {
        Path doc = Path.of(System.getProperty("it.docs.dir", "../docs"), "policy-reference.md");
        try {
            String text = Files.readString(doc);
            int at = text.indexOf("\n### " + heading);
            if (at < 0) {
                throw new AssertionError("no heading '### " + heading + "' in " + doc);
            }
            int start = text.indexOf("```json\n", at);
            int end = text.indexOf("```", start + 8);
            return text.substring(start + 8, end);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
