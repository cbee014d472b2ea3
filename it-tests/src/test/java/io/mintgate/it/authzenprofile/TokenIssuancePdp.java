package io.mintgate.it.authzenprofile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A PDP for the AuthZEN Profile for OAuth 2.0 Token Issuance (Draft 1), written from the profile's text for the
 * interoperability tests, sharing no code with Mintgate's PEP. It serves the PDP metadata with the profile's
 * capability (Section 7), the Access Evaluation and Access Evaluations APIs (AuthZEN 1.0 Sections 6 and 7), and
 * checks that each request has the profile's shape: registered subject types (Section 13.2), gate actions
 * {@code issue:<token-type>:<grant-type>} of registered short-name syntax (Sections 5.3.1, 5.3.2) at resources of
 * type {@code audience} (Section 5.2), gate tuples at the leading indices and {@code execute_all} (Section 5.5.1). A
 * request of another shape is answered 400, which a conforming PEP must treat as no decision.
 *
 * <p>Its policy is whatever the test configures: {@link Rule}s matched in order against each evaluation's action,
 * resource id and subject id (the first that matches decides and may add response context), else permit. It counts
 * the calls it receives per endpoint, and can delay its answers.
 */
public final class TokenIssuancePdp implements AutoCloseable {

    public static final String CAPABILITY = "urn:openid:authzen:capability:token-issuance";
    /** Section 13.3: a short name; a gate action is {@code issue:} and two of them. */
    private static final Pattern GATE = Pattern.compile("issue:[a-z][a-z0-9_]{0,20}:[a-z][a-z0-9_]{0,20}");
    private static final List<String> SUBJECT_TYPES = List.of("user", "client", "workload");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One policy statement: an evaluation whose action name is {@code action} ({@code "issue:*"}: any gate), and, when
     * not null, whose resource id is {@code resourceId} and subject id {@code subjectId}, is decided {@code permit};
     * {@code context} (may be null) is returned as the evaluation's response context.
     */
    public record Rule(String action, String resourceId, String subjectId, boolean permit, Map<String, Object> context) {

        boolean matches(String actionName, String resource, String subject) {
            boolean actionMatches = "issue:*".equals(action) ? actionName.startsWith("issue:") : action.equals(actionName);
            return actionMatches && (resourceId == null || resourceId.equals(resource))
                    && (subjectId == null || subjectId.equals(subject));
        }
    }

    /** A request the PDP received, as it was sent. */
    public record Received(String path, JsonNode body) {
    }

    private final HttpServer server;
    private final AtomicInteger batchCalls = new AtomicInteger();
    private final AtomicInteger singleCalls = new AtomicInteger();
    private final AtomicInteger metadataCalls = new AtomicInteger();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile List<Rule> rules = List.of();
    private volatile Duration delay = Duration.ZERO;

    private TokenIssuancePdp(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free loopback port. */
    public static TokenIssuancePdp start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TokenIssuancePdp pdp = new TokenIssuancePdp(server);
            server.createContext("/.well-known/authzen-configuration", pdp::metadata);
            server.createContext("/access/v1/evaluation", pdp::evaluate);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return pdp;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The PDP's {@code policy_decision_point}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Replaces the policy (first matching rule decides; no match permits). */
    public TokenIssuancePdp policy(Rule... statements) {
        rules = List.of(statements);
        return this;
    }

    public TokenIssuancePdp delay(Duration answerDelay) {
        delay = answerDelay;
        return this;
    }

    public int batchCalls() {
        return batchCalls.get();
    }

    public int singleCalls() {
        return singleCalls.get();
    }

    public int metadataCalls() {
        return metadataCalls.get();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public Received lastReceived() {
        return received.get(received.size() - 1);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void metadata(HttpExchange exchange) throws IOException {
        metadataCalls.incrementAndGet();
        String base = baseUri().toString();
        ObjectNode metadata = JSON.createObjectNode()
                .put("policy_decision_point", base)
                .put("access_evaluation_endpoint", base + "/access/v1/evaluation")
                .put("access_evaluations_endpoint", base + "/access/v1/evaluations");
        metadata.putArray("capabilities").add(CAPABILITY);
        reply(exchange, 200, metadata);
    }

    private void evaluate(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        boolean batch = path.equals("/access/v1/evaluations");
        if (!"POST".equals(exchange.getRequestMethod()) || !(batch || path.equals("/access/v1/evaluation"))) {
            reply(exchange, 404, JSON.createObjectNode());
            return;
        }
        (batch ? batchCalls : singleCalls).incrementAndGet();
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        received.add(new Received(path, request));
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        JsonNode answer;
        try {
            answer = batch ? decideBatch(request) : decide(request, JSON.createObjectNode());
        } catch (IllegalArgumentException e) {
            reply(exchange, 400, JSON.createObjectNode().put("error", e.getMessage()));
            return;
        }
        reply(exchange, 200, answer);
    }

    /** Exposed for the fixture's own unit tests: the answer to an Access Evaluations request body. */
    public JsonNode decideBatch(JsonNode request) {
        if (!"execute_all".equals(request.at("/options/evaluations_semantic").asText())) {
            throw new IllegalArgumentException("Section 5.5.1: options.evaluations_semantic must be execute_all");
        }
        JsonNode items = request.get("evaluations");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new IllegalArgumentException("no evaluations");
        }
        ArrayNode decisions = JSON.createArrayNode();
        boolean gatesOver = false;
        for (JsonNode item : items) {
            JsonNode decision = decide(request, item);
            boolean gate = GATE.matcher(effective(request, item, "action").path("name").asText()).matches();
            if (gate && gatesOver) {
                throw new IllegalArgumentException("Section 5.5.1: gate tuples must lead the evaluations");
            }
            gatesOver |= !gate;
            decisions.add(decision);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.set("evaluations", decisions);
        return answer;
    }

    /** Exposed for the fixture's own unit tests: the answer to one evaluation (a bare request, or a batch item). */
    public JsonNode decide(JsonNode request, JsonNode item) {
        JsonNode subject = effective(request, item, "subject");
        JsonNode action = effective(request, item, "action");
        JsonNode resource = effective(request, item, "resource");
        String subjectType = subject.path("type").asText();
        if (!SUBJECT_TYPES.contains(subjectType)) {
            throw new IllegalArgumentException("Section 5.1: subject.type must be user, client or workload");
        }
        String name = action.path("name").asText("");
        if (subject.path("id").asText("").isEmpty() || name.isEmpty() || resource.path("type").asText("").isEmpty()
                || resource.path("id").asText("").isEmpty()) {
            throw new IllegalArgumentException("AuthZEN 1.0: subject, action and resource are each required");
        }
        if (name.startsWith("issue:")) {
            if (!GATE.matcher(name).matches()) {
                throw new IllegalArgumentException("Section 5.3.2: a gate action is issue:<short name>:<short name>");
            }
            if (!"audience".equals(resource.path("type").asText())) {
                throw new IllegalArgumentException("Section 5.2: a gate tuple's resource.type is audience");
            }
        }
        ObjectNode decision = JSON.createObjectNode();
        for (Rule rule : rules) {
            if (rule.matches(name, resource.path("id").asText(), subject.path("id").asText())) {
                decision.put("decision", rule.permit());
                if (rule.context() != null) {
                    decision.set("context", JSON.valueToTree(rule.context()));
                }
                return decision;
            }
        }
        return decision.put("decision", true);
    }

    /** AuthZEN 1.0 Section 7.1.1: an item's member overrides the request's top-level default. */
    private static JsonNode effective(JsonNode request, JsonNode item, String member) {
        JsonNode own = item.get(member);
        return own != null ? own : request.path(member);
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Rules by name, for readable tests. */
    public static Rule deny(String action, String resourceId) {
        return new Rule(action, resourceId, null, false, null);
    }

    public static Rule denyFor(String action, String subjectId) {
        return new Rule(action, null, subjectId, false, null);
    }

    public static Rule permitWith(String action, String resourceId, Map<String, Object> issuance) {
        return new Rule(action, resourceId, null, true, Map.of("issuance", issuance));
    }

    static List<Rule> list(Rule... rules) {
        return new ArrayList<>(List.of(rules));
    }
}
