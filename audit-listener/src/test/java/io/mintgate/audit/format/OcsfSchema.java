package io.mintgate.audit.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import io.mintgate.audit.record.RecordSchema;

import java.util.List;

/** The OCSF 1.8.0 subset schema the jar ships ({@code ocsf-1.8.0-mintgate-subset.schema.json}), formats asserted. */
public final class OcsfSchema {
    public static final String RESOURCE = "/ocsf-1.8.0-mintgate-subset.schema.json";
    private static final JsonSchema SCHEMA = RecordSchema.load(RESOURCE);

    private OcsfSchema() {
    }

    /** One line per violation; empty when {@code event} conforms. */
    public static List<String> problems(JsonNode event) {
        return SCHEMA.validate(event).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
