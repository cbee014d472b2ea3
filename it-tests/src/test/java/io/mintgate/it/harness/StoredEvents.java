package io.mintgate.it.harness;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A realm's events as Keycloak's event store kept them, read as an admin does (Realm settings → Events, or
 * {@code GET /admin/realms/{realm}/events}). The realm must store events ({@link #enable}).
 */
public final class StoredEvents {

    private final AdminApi admin;
    private final String realm;

    public StoredEvents(AdminApi admin, String realm) {
        this.admin = admin;
        this.realm = realm;
    }

    /**
     * Turns the realm's event store on for these event types. Keycloak's events config also holds the realm's event
     * listeners, so they are given too (pass the realm's own to keep them).
     */
    public void enable(List<String> listeners, List<String> types) {
        admin.put("/admin/realms/" + realm + "/events/config", java.util.Map.of("eventsEnabled", true,
                "enabledEventTypes", types, "eventsListeners", listeners)).expect(204);
    }

    /**
     * The stored event of this type that matches, polling briefly: a success event is stored when its request's
     * transaction commits, which the client does not wait for.
     */
    public JsonNode await(String type, String what, Predicate<JsonNode> matching) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode seen = null;
        while (System.nanoTime() < deadline) {
            seen = admin.get("/admin/realms/" + realm + "/events?type=" + type + "&max=500").expect(200).json();
            for (JsonNode event : seen) {
                if (matching.test(event)) {
                    return event;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no stored " + type + " event " + what + " within 15 s; stored: " + seen);
    }
}
