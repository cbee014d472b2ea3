package io.mintgate.authorizer.keycloak.lifecycle;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Finds Mintgate's attributes in RFC 7591 client metadata. The openid-connect registration endpoint maps metadata to
 * a client and has no member for an attribute of our own, so an owner, purpose or expiry sent there — as a member
 * {@code "mintgate.owner"}, or inside an {@code "attributes"} object as the client representation has them — cannot be
 * saved; the registrant is told so, and where to register them instead. No Keycloak types: unit-tested as is.
 */
final class RegistrationMetadata {

    static final String PREFIX = "mintgate.";
    static final String WHERE = "Mintgate attributes are not RFC 7591 client metadata: register through"
            + " /clients-registrations/default with a client representation whose attributes have them";

    private RegistrationMetadata() {
    }

    /** One violation per Mintgate member, in document order; empty when there is none (or the body is no object). */
    static List<Violation> mintgateMembers(JsonNode metadata) {
        List<Violation> found = new ArrayList<>();
        if (metadata == null || !metadata.isObject()) {
            return found;
        }
        for (Iterator<String> names = metadata.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.startsWith(PREFIX)) {
                found.add(new Violation(name, WHERE));
            }
        }
        JsonNode attributes = metadata.get("attributes");
        if (attributes != null && attributes.isObject()) {
            for (Iterator<String> names = attributes.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (name.startsWith(PREFIX)) {
                    found.add(new Violation("attributes." + name, WHERE));
                }
            }
        }
        return found;
    }
}
