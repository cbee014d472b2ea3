package io.mintgate.authorizer.policy.versions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PolicyHistoryTest {

    private static int saved;

    /** Each a second after the one before, as saves are. */
    private static PolicyVersion v(String version, String text) {
        return new PolicyVersion(version, Instant.parse("2026-12-06T00:00:00Z").plusSeconds(saved++), "admin-id",
                "admin-cli", text);
    }

    @Test
    void appendsRoundTripsAndSkipsTheLatestTextSavedAgain() {
        PolicyHistory h = PolicyHistory.parse(null).append(v("a", "{}")).append(v("b", "{\"rules\": []}"))
                .append(v("b", "{\"rules\": []}"));
        assertThat(h.versions()).extracting(PolicyVersion::version).containsExactly("a", "b");
        PolicyHistory back = PolicyHistory.parse(h.serialized());
        assertThat(back.versions()).isEqualTo(h.versions());
        assertThat(back.append(v("a", "{}")).versions()).extracting(PolicyVersion::version)
                .as("going back to an older text is a new version").containsExactly("a", "b", "a");
    }

    @Test
    void theOrderIsTheSaveTimeWhateverOrderTheDatabaseReturns() {
        PolicyVersion older = new PolicyVersion("a", Instant.parse("2026-12-06T00:00:00Z"), null, null, "{}");
        PolicyVersion newer = new PolicyVersion("b", Instant.parse("2026-12-06T00:00:01Z"), null, null, "{\"rules\": []}");
        List<String> stored = PolicyHistory.parse(null).append(older).append(newer).serialized();
        PolicyHistory shuffled = PolicyHistory.parse(List.of(stored.get(1), stored.get(0)));
        assertThat(shuffled.versions()).extracting(PolicyVersion::version).containsExactly("a", "b");
        assertThat(shuffled.append(newer).versions()).hasSize(2);
    }

    @Test
    void keepsTheNewestFiftyAndSkipsUnreadableEntries() {
        PolicyHistory h = PolicyHistory.parse(List.of("not json", "{\"version\": \"x\"}"));
        assertThat(h.versions()).isEmpty();
        for (int i = 0; i < 60; i++) {
            h = h.append(v("v" + i, "text " + i));
        }
        assertThat(h.versions()).hasSize(PolicyHistory.MAX_VERSIONS);
        assertThat(h.versions().get(0).version()).isEqualTo("v10");
        assertThat(h.find("v59")).isPresent();
        assertThat(h.find("v3")).isEmpty();
    }

    @Test
    void theDiffShowsChangedLinesWithContextInUnifiedForm() {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 1; i <= 16; i++) {
            a.add("line " + i);
            b.add(i == 6 ? "line six" : "line " + i);
        }
        b.add("line 17");
        List<String> diff = LineDiff.unified(String.join("\n", a), String.join("\n", b), "p@1", "p@2");
        assertThat(diff).containsExactly("--- p@1", "+++ p@2",
                "@@ -3,7 +3,7 @@", " line 3", " line 4", " line 5", "-line 6", "+line six", " line 7", " line 8", " line 9",
                "@@ -14,3 +14,4 @@", " line 14", " line 15", " line 16", "+line 17");
        assertThat(LineDiff.unified("same", "same", "a", "b")).isEmpty();
    }
}
