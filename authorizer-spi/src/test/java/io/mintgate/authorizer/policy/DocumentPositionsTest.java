package io.mintgate.authorizer.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class DocumentPositionsTest {

    private static PolicyProblem only(String document) {
        PolicyValidationException e = catchThrowableOfType(PolicyValidationException.class,
                () -> PolicyCompiler.compile(document));
        assertThat(e).isNotNull();
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0);
    }

    @Test
    void aCelErrorIsPlacedAtItsCharacterInTheDocument() {
        String document = "{\n  \"rules\": [\n    {\"name\": \"ok\", \"match\": \"true\", \"allowIf\": \"true\", \"reason\": \"x\"},\n"
                + "    {\"name\": \"bad\", \"match\": \"true\", \"reason\": \"x\",\n     \"allowIf\": \"client.id == \\\"x\\\" && nosuch.field\"}\n  ]\n}";
        PolicyProblem problem = only(document);
        assertThat(problem.field()).isEqualTo("rules[1].allowIf");
        DocumentPositions.Position at = DocumentPositions.of(document).of(problem);
        String line = document.split("\n")[at.line() - 1];
        assertThat(at.line()).isEqualTo(5);
        // the escaped quotes before it take two characters each in the document, one in the expression
        assertThat(line.substring(at.column() - 1)).startsWith("nosuch");
    }

    @Test
    void aProblemWithoutAPositionIsPlacedAtItsValue() {
        String document = "{\"rules\": [\n  {\"name\": \"r\", \"match\": \"true\", \"allowIf\": \"true\", \"reason\": \"x\", \"mode\": \"loud\"}\n]}";
        PolicyProblem problem = only(document);
        DocumentPositions.Position at = DocumentPositions.of(document).of(problem);
        assertThat(at).isNotNull();
        assertThat(at.line()).isEqualTo(2);
        assertThat(document.split("\n")[1].substring(at.column() - 1)).startsWith("\"loud\"");
    }

    @Test
    void aSyntaxErrorKeepsTheDocumentsOwnPosition() {
        String document = "{\"rules\": [\n  {\"name\": \"r\",, }\n]}";
        PolicyProblem problem = only(document);
        DocumentPositions.Position at = DocumentPositions.of(document).of(problem);
        assertThat(at.line()).isEqualTo(problem.line()).isEqualTo(2);
    }
}
