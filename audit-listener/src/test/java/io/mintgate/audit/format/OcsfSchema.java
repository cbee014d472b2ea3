package io.mintgate.audit.format;

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

/** The OCSF 1.8.0 subset schema the jar ships ({@code ocsf-1.8.0-mintgate-subset.schema.json}), formats asserted. */
public final class OcsfSchema {
    public static final String RESOURCE = "/ocsf-1.8.0-mintgate-subset.schema.json";
    private static final JsonSchema SCHEMA = load();

    private OcsfSchema() {
    }

    /** One line per violation; empty when {@code event} conforms. */
    public static List<String> problems(JsonNode event) {
        return SCHEMA.validate(event).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static JsonSchema load() {
        try (InputStream in = OcsfSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
