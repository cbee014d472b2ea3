package io.mintgate.authorizer.keycloak.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PolicySaveTest {

    @Test
    @SuppressWarnings("unchecked")
    void aRefusalListsEachProblemWithItsDocumentPositionAndTheTestsThatRan() {
        String text = "{\"rules\": [\n"
                + "  {\"name\": \"no-agents\", \"reason\": \"agents_blocked\", \"deny\": \"client.clientId == 'bot'\"}],\n"
                + " \"tests\": [\n"
                + "  {\"name\": \"bot refused\", \"request\": {\"client\": {\"clientId\": \"bot\"}}, \"expect\": {\"outcome\": \"deny\"}},\n"
                + "  {\"name\": \"ci allowed\", \"request\": {\"client\": {\"clientId\": \"bot\"}}, \"expect\": {\"outcome\": \"allow\"}}]}";
        PolicySave save = PolicySave.check(text);
        assertThat(save.valid()).isFalse();
        Map<String, Object> refusal = save.refusal();
        assertThat(refusal.get("errorMessage").toString()).startsWith(PolicyRefusal.PREFIX + "tests[1]");
        List<Map<String, Object>> problems = (List<Map<String, Object>>) refusal.get("problems");
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).containsEntry("field", "tests[1]").containsEntry("documentLine", 5);
        List<Map<String, Object>> tests = (List<Map<String, Object>>) refusal.get("tests");
        assertThat(tests).extracting(t -> t.get("name") + "=" + t.get("passed"))
                .containsExactly("bot refused=true", "ci allowed=false");
    }

    @Test
    void aValidTextHasNoProblemsAndItsTestResults() {
        String text = "{\"rules\": [{\"name\": \"r\", \"reason\": \"x\", \"deny\": \"false\"}],"
                + " \"tests\": [{\"name\": \"allowed\", \"request\": {}, \"expect\": {\"outcome\": \"allow\"}}]}";
        PolicySave save = PolicySave.check(text);
        assertThat(save.valid()).isTrue();
        assertThat(save.testResults()).singleElement().satisfies(t -> assertThat(t).containsEntry("passed", true));
    }
}
