package io.mintgate.audit.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The published JSON Schema of the audit record ({@code mintgate-audit-record.schema.json}, shipped in the jar and
 * quoted by docs/audit-schema.md), loaded by an independent draft 2020-12 validator, so tests can hold what the
 * pipeline writes to what consumers are told to expect. Formats (date-time) are asserted, not just annotated.
 */
public final class RecordSchema {

    private static final JsonSchema SCHEMA = load("/mintgate-audit-record.schema.json");

    private RecordSchema() {
    }

    /** What is wrong with {@code record} by the schema, one line per violation: empty when it conforms. */
    public static List<String> problems(JsonNode record) {
        return SCHEMA.validate(record).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** A JSON Schema 2020-12 from the classpath, with format assertions on. */
    public static JsonSchema load(String resource) {
        try (InputStream in = RecordSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
