package io.mintgate.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The audit record's JSON Schema as the bundle ships it (draft 2020-12, formats asserted): every record a test reads
 * from the real server's trail is held to what docs/audit-schema.md promises consumers.
 */
public final class PublishedSchema {

    private static final JsonSchema SCHEMA = load("/mintgate-audit-record.schema.json");
    private static final JsonSchema OCSF = load("/ocsf-1.8.0-mintgate-subset.schema.json");

    private PublishedSchema() {
    }

    /** Fails naming every violation when {@code record} does not conform. */
    static JsonNode conforming(JsonNode record) {
        List<String> problems = SCHEMA.validate(record).stream().map(ValidationMessage::getMessage).sorted().toList();
        if (!problems.isEmpty()) {
            throw new AssertionError("audit record does not conform to mintgate-audit-record.schema.json: " + problems
                    + "\n" + record);
        }
        return record;
    }

    /**
     * What is wrong with an OCSF event by the OCSF 1.8.0 subset schema the bundle ships (docs/siem.md), one line per
     * violation: empty when it conforms.
     */
    public static List<String> ocsfProblems(JsonNode event) {
        return OCSF.validate(event).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static JsonSchema load(String resource) {
        // from the bundle jar on the test classpath: the very file the product ships
        try (InputStream in = PublishedSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath (bundle jar)");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
