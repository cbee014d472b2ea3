package io.mintgate.authorizer.policy.cel;

import static io.mintgate.authorizer.policy.cel.ContextVariable.struct;
import static io.mintgate.authorizer.policy.cel.ContextVariable.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypes;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import io.mintgate.authorizer.policy.ActorInfo;
import io.mintgate.authorizer.policy.ClientInfo;
import io.mintgate.authorizer.policy.Grant;
import io.mintgate.authorizer.policy.IssuanceRequest;
import io.mintgate.authorizer.policy.NetworkInfo;
import io.mintgate.authorizer.policy.NhiInfo;
import io.mintgate.authorizer.policy.OrganizationInfo;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.SubjectInfo;
import io.mintgate.authorizer.policy.WorkloadInfo;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ContextVariables} is the one declaration of the context variables; these tests fail wherever something
 * else could disagree with it: the CEL environment, a request's activation, the reads of a compiled expression, the
 * {@link IssuanceRequest} the values come from, docs/policy-reference.md, and the sets of facts known before
 * authentication. The last tests are the recipe of docs/architecture.md: a new variable is one table entry plus its
 * value's source.
 */
class ContextVariablesTest {

    private static final Path REFERENCE = Path.of("..", "docs", "policy-reference.md");

    /** Every part of the request set, each to a distinct object, so a value can be traced to the part it came from. */
    static final IssuanceRequest FULL = new IssuanceRequest("acme", Instant.parse("2025-03-04T09:00:00Z"), "LOGIN",
            new Grant("authorization_code", List.of("read"), List.of("api"), List.of("https://api.acme"), "urn:x",
                    List.of(java.util.Map.of("type", "payment_initiation", "actions", List.of("initiate")))),
            new ClientInfo("c-1", "portal", "client-secret", false, Map.of("mintgate.tenant", "blue"), List.of("r"),
                    List.of("read")),
            new SubjectInfo("u-1", "alice", true, false, Map.of("team", List.of("blue")), List.of("staff"),
                    Map.of("portal", List.of("viewer")), List.of("/staff")),
            new ActorInfo("gateway", "svc-1"), new NetworkInfo("10.0.0.1", "tls-1", "dpop-1"),
            new WorkloadInfo("https://issuer", "repo:acme/app", Map.of("ref", "main")),
            new OrganizationInfo("o-1", "blue"),
            new NhiInfo("u-2", "bob", true, true, Instant.parse("2026-01-01T00:00:00Z"), "ci"));

    static Stream<ContextVariables> tables() {
        return Stream.of(ContextVariables.STANDARD, WITH_TENANT, WITH_TEAM);
    }

    @ParameterizedTest
    @MethodSource("tables")
    void everyDeclaredVariableResolvesInTheActivationWithItsDeclaredType(ContextVariables table) {
        CelEnvironment.ExpressionCompiler compiler = CelEnvironment.compiler(table, PolicyVariables.NONE, true);
        RequestActivation activation = new RequestActivation(FULL, PolicyVariables.NONE, table);
        for (ContextVariable variable : table.variables()) {
            Object value = activation.find(variable.name()).orElse(null);
            assertThat(value).as(variable.name()).isNotNull().isSameAs(activation.value(table.indexOf(variable.name())));
            if (variable instanceof ContextVariable.Struct<?>) {
                // CEL's type() sees only dyn in a struct of ours; the struct says what it was declared as.
                assertThat(value).as(variable.name()).isInstanceOf(ContextStruct.class);
                assertThat(((ContextStruct<?>) value).celType()).as(variable.name()).isEqualTo(variable.type());
            } else {
                // CEL's own view of the value the activation hands it: a source of another type fails here.
                assertThat(compile(compiler, "type(" + variable.name() + ") == " + typeLiteral(variable.type()))
                        .evalWithCel(activation)).as(variable.name()).isEqualTo(true);
            }
        }
        assertThat(activation.find(ContextVariables.POLICY_VARIABLES)).get().isInstanceOf(PolicyVariables.Values.class);
        assertThat(activation.find("undeclared")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("tables")
    void theEnvironmentKnowsEveryNameOfTheTableByItsDeclaredTypeAndItsReadsNameIt(ContextVariables table) {
        CelEnvironment.ExpressionCompiler compiler = CelEnvironment.compiler(table, PolicyVariables.NONE, true);
        for (ContextVariable variable : table.variables()) {
            CompiledExpression read = compile(compiler, variable.name());
            assertThat(read.type()).as(variable.name()).isEqualTo(variable.type());
            assertThat(read.reads()).as(variable.name()).containsExactly(variable.name());
        }
        assertThat(compile(compiler, ContextVariables.POLICY_VARIABLES).reads())
                .containsExactly(ContextVariables.POLICY_VARIABLES);
        assertThat(table.names()).hasSize(table.variables().size() + 1);
        assertThat(compiler.compile("x", "undeclared == ''").ok()).as("a name outside the table").isFalse();
    }

    @Test
    void everyPartOfTheRequestIsTheSourceOfExactlyOneVariable() throws Exception {
        for (RecordComponent part : IssuanceRequest.class.getRecordComponents()) {
            Object value = part.getAccessor().invoke(FULL);
            List<String> readBy = new ArrayList<>();
            for (ContextVariable variable : ContextVariables.STANDARD.variables()) {
                Object read = ContextVariables.STANDARD.read(ContextVariables.STANDARD.indexOf(variable.name()), FULL);
                if ((read instanceof ContextStruct<?> s ? s.value() : read) == value) {
                    readBy.add(variable.name());
                }
            }
            assertThat(readBy).as("the variables that expose IssuanceRequest." + part.getName()).hasSize(1);
        }
    }

    @Test
    void theReferenceListsExactlyTheTablesVariablesInOrderWithTheirTypes() throws IOException {
        Map<String, String> declared = new LinkedHashMap<>();
        ContextVariables.STANDARD.variables().forEach(v -> declared.put(v.name(), typeName(v.type())));
        declared.put(ContextVariables.POLICY_VARIABLES, PolicyVariables.TYPE_NAME);
        assertThat(rows(section(context(), "### Variables"))).containsExactlyEntriesOf(declared);
    }

    @Test
    void theReferenceListsExactlyEachStructsFieldsInOrderWithTheirTypes() throws IOException {
        String context = context();
        for (ContextVariable variable : ContextVariables.STANDARD.variables()) {
            if (variable instanceof ContextVariable.Struct<?> s) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (int slot = 0; slot < s.shape().fieldCount(); slot++) {
                    ContextField<?> field = s.shape().field(slot);
                    fields.put(field.name(), typeName(field.type()));
                }
                String heading = "### `" + s.name() + "` (`" + s.type().name() + "`)";
                assertThat(rows(section(context, heading))).as(heading).containsExactlyEntriesOf(fields);
            }
        }
    }

    @Test
    void theFactsUnknownBeforeAuthenticationAreDeclaredVariables() {
        assertThat(ContextVariables.STANDARD.names()).containsAll(PolicySet.UNKNOWN_BEFORE_AUTHENTICATION);
    }

    @Test
    void theTableRefusesANameTwice() {
        assertThatThrownBy(() -> ContextVariables.STANDARD.with(value("realm", SimpleType.STRING, IssuanceRequest::realm)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContextVariables.STANDARD.with(
                value(ContextVariables.POLICY_VARIABLES, SimpleType.STRING, IssuanceRequest::realm)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // The recipe (docs/architecture.md, "Adding a context variable"): one table entry plus its value's source.
    // Here the sources are stand-ins read from parts the request already has; a real variable reads a new
    // IssuanceRequest component, filled by IssuanceRequests on the Keycloak side.

    /** A plain variable: one entry. */
    static final ContextVariables WITH_TENANT = ContextVariables.STANDARD.with(value("tenant", SimpleType.STRING,
            request -> request.client().attributes().getOrDefault("mintgate.tenant", "")));

    /** The record a struct variable exposes, and its shape: what a struct variable needs besides its entry. */
    record Team(String name, List<String> members) {
    }

    static final ContextType<Team> TEAM = new ContextType<>("mintgate.Team", List.of(
            ContextField.of("name", SimpleType.STRING, Team::name),
            ContextField.list("members", ListType.create(SimpleType.STRING), Team::members)));

    /** A struct variable: one entry, with its shape. */
    static final ContextVariables WITH_TEAM = ContextVariables.STANDARD.with(struct("team", TEAM,
            request -> new Team(request.subject().attributes().getOrDefault("team", List.of("")).get(0),
                    List.of(request.subject().username()))));

    @Test
    void aNewVariableIsOneTableEntryPlusItsValuesSource() {
        CompiledExpression rule = compile(CelEnvironment.compiler(WITH_TENANT, PolicyVariables.NONE, true),
                "tenant == organization.alias && tenant.startsWith('b')");
        assertThat(rule.reads()).containsExactlyInAnyOrder("tenant", "organization.alias");
        assertEvaluatesBothWays(rule, new RequestActivation(FULL, PolicyVariables.NONE, WITH_TENANT), true);

        assertThat(CelEnvironment.compiler(PolicyVariables.NONE).compile("x", "tenant == ''").ok())
                .as("the standard table does not have it").isFalse();
    }

    @Test
    void aNewStructVariableIsOneTableEntryWithItsShapePlusItsValuesSource() {
        CompiledExpression rule = compile(CelEnvironment.compiler(WITH_TEAM, PolicyVariables.NONE, true),
                "team.name == 'blue' && subject.username in team.members && has(team.members)");
        assertThat(rule.reads()).containsExactlyInAnyOrder("team.name", "team.members", "subject.username");
        assertEvaluatesBothWays(rule, new RequestActivation(FULL, PolicyVariables.NONE, WITH_TEAM), true);

        assertThat(CelEnvironment.compiler(WITH_TEAM, PolicyVariables.NONE, true).compile("x", "team.nmae == ''").ok())
                .as("its fields are checked when a policy is saved").isFalse();
    }

    /** The direct evaluator and the CEL runtime both find the new variable, and agree. */
    private static void assertEvaluatesBothWays(CompiledExpression rule, RequestActivation activation, boolean expected) {
        assertThat(rule.direct()).isTrue();
        assertThat(rule.evalDirect(activation)).isEqualTo(expected);
        assertThat(rule.evalWithCel(activation)).isEqualTo(expected);
    }

    private static CompiledExpression compile(CelEnvironment.ExpressionCompiler compiler, String source) {
        CelEnvironment.Result result = compiler.compile("test", source);
        assertThat(result.issues()).as(source).isEmpty();
        return result.expression();
    }

    /** The type as a CEL expression (the checker knows the timestamp type only as a function's result). */
    private static String typeLiteral(CelType type) {
        return type.equals(SimpleType.TIMESTAMP) ? "type(timestamp(0))" : CelTypes.format(type);
    }

    /** A type as docs/policy-reference.md writes it. */
    private static String typeName(CelType type) {
        return type.equals(SimpleType.TIMESTAMP) ? "timestamp" : CelTypes.format(type);
    }

    /** The reference's "Context" chapter. */
    private static String context() throws IOException {
        String reference = Files.readString(REFERENCE);
        int start = reference.indexOf("\n## Context\n");
        assertThat(start).as("docs/policy-reference.md has a Context chapter").isNotNegative();
        int end = reference.indexOf("\n## ", start + 1);
        return reference.substring(start, end < 0 ? reference.length() : end);
    }

    /** The text under {@code heading}, up to the next heading. */
    private static String section(String chapter, String heading) {
        int start = chapter.indexOf("\n" + heading + "\n");
        assertThat(start).as("docs/policy-reference.md has " + heading).isNotNegative();
        int end = chapter.indexOf("\n#", start + 1);
        return chapter.substring(start, end < 0 ? chapter.length() : end);
    }

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([^`]+)` \\| `([^`]+)` \\|");

    /** A table's first two columns, name to type, in the document's order. */
    private static Map<String, String> rows(String section) {
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(section);
        while (m.find()) {
            assertThat(rows.put(m.group(1), m.group(2))).as("listed twice: " + m.group(1)).isNull();
        }
        return rows;
    }
}
