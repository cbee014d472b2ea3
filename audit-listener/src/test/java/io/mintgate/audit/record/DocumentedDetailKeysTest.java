package io.mintgate.audit.record;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The list of Keycloak details in docs/audit-schema.md is the allow-list the filter applies, no more, no less. */
class DocumentedDetailKeysTest {

    @Test
    void theDocumentedDetailKeysAreExactlyTheAllowList() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "audit-schema.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("### Keycloak details kept");
        int end = doc.indexOf("Even an allowed key", start);
        assertThat(start).as("section in audit-schema.md").isNotNegative();
        Matcher key = Pattern.compile("`([a-z_]+)`").matcher(doc.substring(start, end));
        Set<String> documented = key.results().map(m -> m.group(1)).collect(Collectors.toSet());

        assertThat(documented).isEqualTo(DetailFilter.ALLOWED_KEYS);
    }
}
