package io.mintgate.authorizer.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An allow's obligations as JSON, in the shape of a policy test's {@code expect.obligations}
 * ({@code keepScopes}, ..., lifetimes as {@code "300s"}), only the restricting members, sets sorted: two equal
 * obligations give equal JSON, so a replay compares the recorded narrowing with a draft's by equality. A claim
 * value equal to the decision's own id is written as {@value #DECISION_ID} (every decision has another id).
 */
public final class ObligationsJson {

    public static final String DECISION_ID = "<decision id>";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ObligationsJson() {
    }

    public static ObjectNode tree(Obligations o, String decisionId) {
        ObjectNode out = MAPPER.createObjectNode();
        set(out, "keepScopes", o.keepScopes());
        set(out, "keepAudiences", o.keepAudiences());
        set(out, "keepRoles", o.keepRoles());
        duration(out, "maxAccessTokenLifetime", o.maxAccessTokenLifetime());
        if (!o.refreshTokenAllowed()) {
            out.put("refreshToken", false);
        }
        duration(out, "maxRefreshTokenLifetime", o.maxRefreshTokenLifetime());
        if (o.authorizationDetails() != null) {
            set(out, "keepAuthorizationDetailTypes", o.authorizationDetails().types());
            set(out, "keepAuthorizationDetailActions", o.authorizationDetails().actions());
            set(out, "keepAuthorizationDetailLocations", o.authorizationDetails().locations());
            if (o.authorizationDetails().cells() != null) {
                out.set("authorizationDetails", MAPPER.valueToTree(o.authorizationDetails().cells()));
            }
        }
        if (!o.claims().isEmpty()) {
            ObjectNode claims = out.putObject("claims");
            for (Map.Entry<String, Object> claim : o.claims().entrySet()) {
                Object value = decisionId != null && decisionId.equals(claim.getValue()) ? DECISION_ID : claim.getValue();
                claims.set(claim.getKey(), node(value));
            }
        }
        return out;
    }

    /** Compact JSON text of {@link #tree}; {@code {}} for no obligations. */
    public static String write(Obligations o, String decisionId) {
        try {
            return MAPPER.writeValueAsString(tree(o, decisionId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("obligations: not JSON: " + e.getOriginalMessage());
        }
    }

    /** A claim value as a node: the common scalars directly, anything else through the mapper (several times dearer). */
    private static JsonNode node(Object value) {
        if (value instanceof String s) {
            return MAPPER.getNodeFactory().textNode(s);
        }
        if (value instanceof Boolean b) {
            return MAPPER.getNodeFactory().booleanNode(b);
        }
        if (value instanceof Long l) {
            return MAPPER.getNodeFactory().numberNode(l);
        }
        if (value instanceof Integer i) {
            return MAPPER.getNodeFactory().numberNode(i);
        }
        return MAPPER.valueToTree(value);
    }

    private static void set(ObjectNode out, String name, Set<String> values) {
        if (values != null) {
            out.putArray(name).addAll(new TreeSet<>(values).stream().map(MAPPER.getNodeFactory()::textNode).toList());
        }
    }

    private static void duration(ObjectNode out, String name, Duration value) {
        if (value != null) {
            out.put(name, value.toMillis() % 1000 == 0 ? value.toSeconds() + "s" : value.toMillis() + "ms");
        }
    }
}
