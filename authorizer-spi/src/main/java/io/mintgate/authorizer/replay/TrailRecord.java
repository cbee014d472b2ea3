package io.mintgate.authorizer.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The members of an audit record (docs/audit-schema.md) a replay reads, picked from the JSON line in one streaming
 * pass: a trail's records are a few KB each and a tree of every one cost more than deciding it again.
 */
final class TrailRecord {

    private static final JsonFactory JSON = new JsonFactory();

    String type;
    String time;
    String realm;
    String clientId;
    String decisionId;
    String outcome;
    String rule;
    String request;
    String obligations;

    /** @throws IOException when the line is not one JSON object */
    static TrailRecord parse(String line) throws IOException {
        TrailRecord r = new TrailRecord();
        try (JsonParser p = JSON.createParser(line)) {
            expectObject(p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "type" -> r.type = text(p, value);
                    case "time" -> r.time = text(p, value);
                    case "data" -> r.data(p, value);
                    default -> p.skipChildren();
                }
            }
        }
        return r;
    }

    private void data(JsonParser p, JsonToken start) throws IOException {
        if (start != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "realm" -> realm = text(p, value);
                case "clientId" -> clientId = text(p, value);
                case "decision" -> members(p, value, "decision");
                case "details" -> members(p, value, "details");
                default -> p.skipChildren();
            }
        }
    }

    private void members(JsonParser p, JsonToken start, String object) throws IOException {
        if (start != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (object.equals("decision")) {
                switch (name) {
                    case "id" -> decisionId = text(p, value);
                    case "outcome" -> outcome = text(p, value);
                    case "rule" -> rule = text(p, value);
                    default -> p.skipChildren();
                }
            } else {
                switch (name) {
                    case "mintgate_request" -> request = text(p, value);
                    case "mintgate_obligations" -> obligations = text(p, value);
                    default -> p.skipChildren();
                }
            }
        }
    }

    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static void expectObject(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("not a JSON object");
        }
    }
}
