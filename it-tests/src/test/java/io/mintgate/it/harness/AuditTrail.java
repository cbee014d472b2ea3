package io.mintgate.it.harness;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/** The audit file sink's records as the server wrote them, read through the runtime (host or container). */
public final class AuditTrail {

    public static final String FILE = "data/mintgate-audit/audit.jsonl";

    private final KeycloakRuntime runtime;

    public AuditTrail(KeycloakRuntime runtime) {
        this.runtime = runtime;
    }

    public List<JsonNode> records() {
        String content = runtime.readServerFile(FILE).orElse("");
        List<JsonNode> records = new ArrayList<>();
        for (String line : content.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(AdminApi.MAPPER.readTree(line));
            } catch (IOException torn) {
                // the shipper may be mid-line; the next poll sees it whole
            }
        }
        return records;
    }

    /**
     * Polls until a record matches (the shipper is asynchronous), failing with what was there at the deadline. The
     * record found must also conform to the published JSON Schema.
     */
    public JsonNode await(String what, Predicate<JsonNode> matching) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<JsonNode> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = records();
            for (JsonNode record : seen) {
                if (matching.test(record)) {
                    return PublishedSchema.conforming(record);
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no audit record " + what + " within 30 s; " + seen.size() + " records in " + FILE);
    }
}
