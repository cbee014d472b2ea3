package io.mintgate.authorizer.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A hypothetical {@link IssuanceRequest} written as JSON, for policy tests (and tools that decide without a
 * server): the members are the context variables' names ({@code grant.type}, {@code client.attributes}, ...), every
 * one optional; an unknown member is an error that names it, so a typo never passes as "absent".
 */
public final class IssuanceRequestJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule().addDeserializer(Instant.class, new InstantText()))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private IssuanceRequestJson() {
    }

    /**
     * @param defaultTime the request's {@code time} when the JSON has none (a fixed clock keeps a test repeatable)
     * @throws IllegalArgumentException naming the member that could not be read
     */
    public static IssuanceRequest read(JsonNode json, Instant defaultTime) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("must be a JSON object");
        }
        ObjectNode copy = ((ObjectNode) json).deepCopy();
        if (!copy.hasNonNull("time")) {
            copy.put("time", defaultTime.toString());
        }
        List<Map<String, Object>> cells = authorizationDetails(copy);
        try {
            IssuanceRequest read = MAPPER.treeToValue(copy, IssuanceRequest.class);
            return cells == null ? read : withCells(read, cells);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown member '" + path(e) + "'; known here: "
                    + e.getKnownPropertyIds());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            String at = e instanceof com.fasterxml.jackson.databind.JsonMappingException m ? path(m) : "";
            throw new IllegalArgumentException((at.isEmpty() ? "" : "'" + at + "': ")
                    + message.lines().findFirst().orElse(message));
        }
    }

    /**
     * {@code grant.authorizationDetails}, read by the token path's own parser ({@link AuthorizationDetails#parse}),
     * so a cell the live path would refuse is refused here too, naming the cell and member; taken out of
     * {@code json}, which is then read without it. Null when absent.
     */
    private static List<Map<String, Object>> authorizationDetails(ObjectNode json) {
        if (!(json.get("grant") instanceof ObjectNode grant) || !grant.hasNonNull("authorizationDetails")) {
            return null;
        }
        try {
            List<Map<String, Object>> cells = AuthorizationDetails.parse(grant.get("authorizationDetails").toString());
            grant.remove("authorizationDetails");
            return cells;
        } catch (AuthorizationDetails.Malformed e) {
            throw new IllegalArgumentException("'grant.authorizationDetails': " + e.getMessage());
        }
    }

    private static IssuanceRequest withCells(IssuanceRequest r, List<Map<String, Object>> cells) {
        Grant g = r.grant();
        return new IssuanceRequest(r.realm(), r.time(), r.event(), new Grant(g.type(), g.scopes(), g.audiences(),
                g.resources(), g.requestedTokenType(), cells), r.client(), r.subject(), r.actor(), r.network(),
                r.workload(), r.organization(), r.nhi());
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** ISO-8601 instants ({@code 2026-01-01T00:00:00Z}); Keycloak's Jackson time module is not needed for one type. */
    private static final class InstantText extends FromStringDeserializer<Instant> {
        InstantText() {
            super(Instant.class);
        }

        @Override
        protected Instant _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext ctxt) {
            try {
                return Instant.parse(value);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("'" + value + "' is no ISO-8601 instant (2026-01-01T00:00:00Z)");
            }
        }
    }
}
