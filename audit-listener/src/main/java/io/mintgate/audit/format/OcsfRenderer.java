package io.mintgate.audit.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintgate.audit.record.RecordJson;
import io.mintgate.audit.record.RecordType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;

/**
 * Renders a spooled CloudEvent as an OCSF 1.8.0 event (https://schema.ocsf.io/1.8.0/): token records as
 * Authentication (3002), nhi records as Entity Management (3004), checkpoints as Base Event (0). The Mintgate
 * decision goes to {@code authorizations} (Authorization Result: {@code decision}, {@code policy}) and to
 * {@code action_id}/{@code disposition_id} of the Security Control profile; the chain
 * position to {@code metadata.sequence} and {@code unmapped.mintgate}. The mapping table is in docs/siem.md.
 * The rendering is a view for SIEMs: the hash chain is computed over the CloudEvent, so {@code verify} needs the
 * json format.
 */
public final class OcsfRenderer {
    public static final String OCSF_VERSION = "1.8.0";
    static final int AUTHENTICATION = 3002;
    static final int ENTITY_MANAGEMENT = 3004;
    static final int BASE_EVENT = 0;
    /** {@code policy.type} of every decision: the realm's Mintgate issuance policy decided it. */
    public static final String POLICY_TYPE = "Mintgate issuance policy";

    private OcsfRenderer() {
    }

    public static byte[] render(byte[] cloudEvent) {
        try {
            return RecordJson.toBytes(toOcsf(RecordJson.MAPPER.readTree(cloudEvent)));
        } catch (IOException e) {
            throw new UncheckedIOException("a spooled record is not JSON", e);
        }
    }

    public static ObjectNode toOcsf(JsonNode event) {
        String type = event.path("type").asText();
        JsonNode data = event.path("data");
        ObjectNode ocsf = RecordJson.MAPPER.createObjectNode();
        switch (type) {
            case RecordType.TOKEN_ISSUED, RecordType.TOKEN_DENIED, RecordType.TOKEN_REVOKED ->
                    authentication(ocsf, type, data);
            case RecordType.NHI_CHANGED -> entityManagement(ocsf, data);
            default -> checkpoint(ocsf, data);
        }
        ocsf.put("time", Instant.parse(event.path("time").asText()).toEpochMilli());
        ocsf.set("metadata", metadata(event, data));
        putText(ocsf.putObject("src_endpoint"), "ip", data.path("sourceAddress"));
        if (ocsf.path("src_endpoint").isEmpty()) {
            ocsf.remove("src_endpoint");
        }
        JsonNode decision = data.path("decision");
        if (decision.isObject()) {
            securityControl(ocsf, decision);
            ((ObjectNode) ocsf.get("metadata")).putArray("profiles").add("security_control");
        }
        ocsf.set("unmapped", unmapped(event, data));
        return ocsf;
    }

    /** Token issued, refused or revoked: Authentication (3002), OAuth 2.0, the token's subject as {@code user}. */
    private static void authentication(ObjectNode ocsf, String type, JsonNode data) {
        boolean refused = type.equals(RecordType.TOKEN_DENIED) || data.hasNonNull("error");
        int activity;
        String activityName;
        if (type.equals(RecordType.TOKEN_REVOKED)) {
            activity = 2;
            activityName = "Logoff";
        } else if ("refresh_token".equals(data.path("grantType").asText())) {
            activity = 5;
            activityName = "Service Ticket Renew";
        } else {
            activity = 4;
            activityName = "Service Ticket Request";
        }
        classification(ocsf, AUTHENTICATION, "Authentication", 3, "Identity & Access Management", activity,
                activityName);
        severity(ocsf, type.equals(RecordType.TOKEN_DENIED) ? 3 : 1);
        status(ocsf, !refused, data);
        ocsf.put("auth_protocol_id", 6);
        ocsf.put("auth_protocol", "OAUTH 2.0");
        ObjectNode user = ocsf.putObject("user");
        if (data.hasNonNull("subject")) {
            putText(user, "uid", data.path("subject"));
            putText(user, "name", data.path("username"));
        } else {
            // No user (a refusal before the client was authenticated): the client asked for itself.
            putText(user, "name", data.path("clientId"));
        }
        putText(ocsf.putObject("service"), "name", data.path("clientId"));
        actor(ocsf, data);
        ocsf.put("message", "Token " + (type.equals(RecordType.TOKEN_REVOKED) ? "revoked"
                : type.equals(RecordType.TOKEN_DENIED) ? "refused" : "issued")
                + (data.hasNonNull("clientId") ? " for client " + data.path("clientId").asText() : ""));
    }

    /** A client, user or role mapping changed by an admin or a registration: Entity Management (3004). */
    private static void entityManagement(ObjectNode ocsf, JsonNode data) {
        JsonNode resource = data.path("resource");
        String operation = resource.path("operation").asText("").toUpperCase(Locale.ROOT);
        int activity = switch (operation) {
            case "CREATE" -> 1;
            case "UPDATE" -> 3;
            case "DELETE" -> 4;
            default -> 99;
        };
        String activityName = switch (activity) {
            case 1 -> "Create";
            case 3 -> "Update";
            case 4 -> "Delete";
            default -> "Other";
        };
        classification(ocsf, ENTITY_MANAGEMENT, "Entity Management", 3, "Identity & Access Management", activity,
                activityName);
        severity(ocsf, 1);
        status(ocsf, !data.hasNonNull("error"), data);
        ObjectNode entity = ocsf.putObject("entity");
        putText(entity, "type", resource.path("type"));
        putText(entity, "uid", resource.path("id"));
        putText(entity, "name", data.path("clientId"));
        if (resource.hasNonNull("path")) {
            entity.putObject("data").put("path", resource.path("path").asText());
        }
        if (entity.isEmpty()) {
            entity.put("name", data.path("keycloakEventType").asText("unknown"));
        }
        actor(ocsf, data);
        ocsf.put("message", "Admin " + operation.toLowerCase(Locale.ROOT) + " of "
                + resource.path("type").asText("a resource") + (resource.hasNonNull("path")
                ? " " + resource.path("path").asText() : ""));
    }

    /** A signed chain checkpoint is no security activity: Base Event (0), activity Other, the JWS kept. */
    private static void checkpoint(ObjectNode ocsf, JsonNode data) {
        classification(ocsf, BASE_EVENT, "Base Event", 0, "Uncategorized", 99, "Other");
        severity(ocsf, 1);
        ocsf.put("status_id", 1);
        ocsf.put("status", "Success");
        ocsf.put("message", "Mintgate audit chain checkpoint: seq " + data.path("seq").asLong() + " of chain "
                + data.path("chain").asText("(none)") + " signed (" + data.path("alg").asText() + ")");
    }

    private static void classification(ObjectNode ocsf, int classUid, String className, int categoryUid,
                                       String categoryName, int activity, String activityName) {
        ocsf.put("category_uid", categoryUid);
        ocsf.put("category_name", categoryName);
        ocsf.put("class_uid", classUid);
        ocsf.put("class_name", className);
        ocsf.put("activity_id", activity);
        ocsf.put("activity_name", activityName);
        ocsf.put("type_uid", classUid * 100L + activity);
        ocsf.put("type_name", className + ": " + activityName);
    }

    private static void severity(ObjectNode ocsf, int id) {
        ocsf.put("severity_id", id);
        ocsf.put("severity", id == 3 ? "Medium" : "Informational");
    }

    private static void status(ObjectNode ocsf, boolean success, JsonNode data) {
        ocsf.put("status_id", success ? 1 : 2);
        ocsf.put("status", success ? "Success" : "Failure");
        putText(ocsf, "status_code", data.path("error"));
        putText(ocsf, "status_detail", data.path("decision").path("reason"));
    }

    /** Who acted: the OAuth client ({@code app_name}) and, for admin changes, the admin user. */
    private static void actor(ObjectNode ocsf, JsonNode data) {
        JsonNode a = data.path("actor");
        ObjectNode actor = RecordJson.MAPPER.createObjectNode();
        putText(actor, "app_name", a.path("clientId"));
        if (a.hasNonNull("userId")) {
            actor.putObject("user").put("uid", a.path("userId").asText());
        }
        if (!actor.isEmpty()) {
            ocsf.set("actor", actor);
        }
    }

    private static ObjectNode metadata(JsonNode event, JsonNode data) {
        ObjectNode metadata = RecordJson.MAPPER.createObjectNode();
        metadata.put("version", OCSF_VERSION);
        ObjectNode product = metadata.putObject("product");
        product.put("name", "Mintgate");
        product.put("vendor_name", "Mintgate");
        String version = OcsfRenderer.class.getPackage().getImplementationVersion();
        if (version != null) {
            product.put("version", version);
        }
        putText(metadata, "uid", event.path("id"));
        putText(metadata, "original_time", event.path("time"));
        if (event.hasNonNull(RecordJson.EXT_SEQ)) {
            metadata.put("sequence", event.path(RecordJson.EXT_SEQ).asLong());
        }
        putText(metadata, "log_name", event.path(RecordJson.EXT_CHAIN));
        putText(metadata, "event_code", data.path("keycloakEventType"));
        putText(metadata, "tenant_uid", data.path("realm"));
        putText(metadata, "correlation_uid", data.path("decision").path("id"));
        return metadata;
    }

    /**
     * The Security Control profile: {@code action_id} Allowed (1), Denied (2) or Modified (4, the token was narrowed),
     * {@code disposition_id} Allowed (1) or Blocked (2), and {@code authorizations}.
     */
    private static void securityControl(ObjectNode ocsf, JsonNode decision) {
        String outcome = decision.path("outcome").asText("");
        boolean narrowed = decision.hasNonNull("narrowed");
        if (outcome.equals("deny")) {
            ocsf.put("action_id", 2);
            ocsf.put("action", "Denied");
            ocsf.put("disposition_id", 2);
            ocsf.put("disposition", "Blocked");
        } else if (outcome.equals("allow")) {
            ocsf.put("action_id", narrowed ? 4 : 1);
            ocsf.put("action", narrowed ? "Modified" : "Allowed");
            ocsf.put("disposition_id", 1);
            ocsf.put("disposition", "Allowed");
        }
        ocsf.set("authorizations", authorizations(decision));
    }

    /** OCSF's Authorization Result: the outcome as {@code decision}, the deciding rule as {@code policy}. */
    private static ArrayNode authorizations(JsonNode decision) {
        ObjectNode result = RecordJson.MAPPER.createObjectNode();
        String outcome = decision.path("outcome").asText("");
        putText(result, "decision", switch (outcome) {
            case "allow" -> "allowed";
            case "deny" -> "denied";
            case "" -> null;
            default -> outcome;
        });
        // An allow that no rule decided has no rule name: the type keeps OCSF's "name, type or uid" satisfied.
        ObjectNode policy = result.putObject("policy");
        policy.put("type", POLICY_TYPE);
        putText(policy, "name", decision.path("rule"));
        putText(policy, "version", decision.path("policyVersion"));
        putText(policy, "desc", decision.path("reason"));
        policy.put("is_applied", !"shadow".equals(decision.path("mode").asText()));
        ArrayNode list = RecordJson.MAPPER.createArrayNode();
        list.add(result);
        return list;
    }

    /** What OCSF has no attribute for, under the producer's name. */
    private static ObjectNode unmapped(JsonNode event, JsonNode data) {
        ObjectNode mintgate = RecordJson.MAPPER.createObjectNode();
        putText(mintgate, "type", event.path("type"));
        for (String ext : new String[] {RecordJson.EXT_CHAIN, RecordJson.EXT_SEQ, RecordJson.EXT_PREV,
                RecordJson.EXT_HASH}) {
            if (event.hasNonNull(ext)) {
                mintgate.set(ext.substring("mintgate".length()), event.get(ext));
            }
        }
        for (String field : new String[] {"grantType", "scopes", "audience", "tokenId", "expiresAt",
                "keycloakEventId", "details", "nhi", "resource"}) {
            if (data.has(field)) {
                mintgate.set(field, data.get(field));
            }
        }
        JsonNode decision = data.path("decision");
        if (decision.isObject()) {
            mintgate.set("decision", decision);
        }
        if (event.path("type").asText().equals(RecordType.CHECKPOINT)) {
            mintgate.set("checkpoint", data);
        }
        ObjectNode unmapped = RecordJson.MAPPER.createObjectNode();
        unmapped.set("mintgate", mintgate);
        return unmapped;
    }

    private static void putText(ObjectNode node, String name, JsonNode value) {
        if (value != null && !value.isMissingNode() && !value.isNull() && !value.asText().isEmpty()) {
            node.put(name, value.asText());
        }
    }

    private static void putText(ObjectNode node, String name, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(name, value);
        }
    }
}
