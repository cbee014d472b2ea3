package io.mintgate.authorizer.policy.versions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The saved versions of one stored policy, oldest first, kept as one JSON string per version (the form Keycloak
 * stores a component's multi-valued configuration in). Keycloak's database returns those values in no particular
 * order, so the order is each version's save time. Append-only: a save adds a version unless the text is the
 * latest one again; the oldest are dropped beyond {@link #MAX_VERSIONS}.
 */
public final class PolicyHistory {

    public static final int MAX_VERSIONS = 50;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<PolicyVersion> versions;

    private PolicyHistory(List<PolicyVersion> versions) {
        this.versions = List.copyOf(versions);
    }

    /** Entries that cannot be read are skipped: a damaged entry must not stop the policy from being saved. */
    public static PolicyHistory parse(List<String> stored) {
        List<PolicyVersion> versions = new ArrayList<>();
        for (String entry : stored == null ? List.<String>of() : stored) {
            try {
                JsonNode n = JSON.readTree(entry);
                versions.add(new PolicyVersion(n.path("version").asText(), Instant.parse(n.path("savedAt").asText()),
                        text(n, "savedBy"), text(n, "client"), n.path("policy").asText()));
            } catch (JsonProcessingException | RuntimeException e) {
                // skipped, see above
            }
        }
        versions.sort(Comparator.comparing(PolicyVersion::savedAt));
        return new PolicyHistory(versions);
    }

    public PolicyHistory append(PolicyVersion version) {
        if (!versions.isEmpty() && versions.get(versions.size() - 1).version().equals(version.version())) {
            return this;
        }
        List<PolicyVersion> next = new ArrayList<>(versions);
        next.add(version);
        return new PolicyHistory(next.subList(Math.max(0, next.size() - MAX_VERSIONS), next.size()));
    }

    public List<PolicyVersion> versions() {
        return versions;
    }

    public Optional<PolicyVersion> find(String version) {
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).version().equals(version)) {
                return Optional.of(versions.get(i));
            }
        }
        return Optional.empty();
    }

    public List<String> serialized() {
        List<String> out = new ArrayList<>(versions.size());
        for (PolicyVersion v : versions) {
            ObjectNode n = JSON.createObjectNode();
            n.put("version", v.version());
            n.put("savedAt", v.savedAt().toString());
            n.put("savedBy", v.savedBy());
            n.put("client", v.client());
            n.put("policy", v.policy());
            out.add(n.toString());
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
