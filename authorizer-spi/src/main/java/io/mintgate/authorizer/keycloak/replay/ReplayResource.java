package io.mintgate.authorizer.keycloak.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintgate.authorizer.policy.PolicyCompiler;
import io.mintgate.authorizer.policy.PolicySet;
import io.mintgate.authorizer.policy.PolicyValidationException;
import io.mintgate.authorizer.replay.TrailReplay;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /admin/realms/{realm}/mintgate/replay}: decides this realm's requests recorded in this node's audit
 * trail (the file sink, rotated files included) again with a draft policy, and reports what would change
 * (docs/changing-policy.md, "Replay"). Needs {@code view-realm} and {@code view-events}: the records name users and
 * addresses. Reads files only; changes nothing.
 */
public final class ReplayResource {

    private static final Set<String> MEMBERS = Set.of("policy", "from", "to");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;

    public ReplayResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> replay(JsonNode body) {
        auth.realm().requireViewRealm();
        auth.realm().requireViewEvents();
        if (body == null || !body.isObject()) {
            throw new BadRequestException("the body must be a JSON object: {\"policy\": ..., \"from\": ..., \"to\": ...}");
        }
        List<String> problems = new ArrayList<>();
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                problems.add(name + ": unknown member; known: policy, from, to");
            }
        }
        Instant from = instant(body, "from", problems);
        Instant to = instant(body, "to", problems);
        if (from != null && to != null && !from.isBefore(to)) {
            problems.add("to: must be after from");
        }
        PolicySet draft = draft(body.get("policy"), problems);
        if (!problems.isEmpty()) {
            throw new BadRequestException(String.join("\n", problems));
        }
        NodeTrail trail = NodeTrail.of(session.getKeycloakSessionFactory());
        if (trail.unavailable != null) {
            throw new ClientErrorException(trail.unavailable + ": replay reads this node's file sink; for another "
                    + "trail use the CLI: java -jar mintgate-keycloak-<version>.jar replay --policy <draft.json> "
                    + "--trail <audit.jsonl>", Response.Status.CONFLICT);
        }
        TrailReplay replay = new TrailReplay(draft, from, to, realm.getName());
        try {
            for (Path file : trail.files()) {
                read(file, replay);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the audit trail could not be read", e);
        }
        return replay.report().toMap();
    }

    private static void read(Path file, TrailReplay replay) throws IOException {
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                replay.line(line);
            }
        } catch (NoSuchFileException rotatedAway) {
            // rotated between listing and reading: its records are in the file it was renamed to, listed already
        }
    }

    private static PolicySet draft(JsonNode policy, List<String> problems) {
        if (policy == null || policy.isNull()) {
            problems.add("policy: required (the draft policy document, as text or as a JSON object)");
            return null;
        }
        if (!policy.isTextual() && !policy.isObject()) {
            problems.add("policy: the draft policy document, as text or as a JSON object");
            return null;
        }
        try {
            return PolicyCompiler.compile(policy.isTextual() ? policy.asText() : policy.toString());
        } catch (PolicyValidationException e) {
            problems.add("policy: the draft does not compile:\n" + e.getMessage());
            return null;
        }
    }

    private static Instant instant(JsonNode body, String name, List<String> problems) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            problems.add(name + ": '" + value.asText() + "' is no ISO-8601 instant (2026-01-01T00:00:00Z)");
            return null;
        }
    }
}
