package io.mintgate.authorizer.authzen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mintgate.authorizer.policy.PolicyEvaluationException;
import io.mintgate.authorizer.policy.authzen.AuthzenAnswer;
import io.mintgate.authorizer.policy.authzen.AuthzenQuery;
import io.mintgate.authorizer.policy.authzen.PdpAuth;
import io.mintgate.authorizer.policy.authzen.PdpConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Everything a node keeps for one declared PDP: its decision cache, circuit breaker and access token. A query is
 * answered from the cache, else (circuit permitting) by one bounded POST to the PDP's AuthZEN endpoint.
 */
final class PdpChannel {

    private static final Logger LOG = Logger.getLogger(PdpChannel.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PdpConfig pdp;
    private final DecisionCache cache;
    private final CircuitBreaker breaker;
    private final AccessTokenSource tokens;
    private final PdpMetrics metrics;
    private final PdpMetadata metadata;

    PdpChannel(PdpConfig pdp, LongSupplier nanoClock, PdpMetrics metrics) {
        this.pdp = pdp;
        this.metrics = metrics;
        this.cache = new DecisionCache(pdp.cacheTtl(), pdp.cacheSize(), nanoClock);
        this.breaker = new CircuitBreaker(pdp.breakerFailures(), pdp.breakerCoolDown(), nanoClock);
        this.tokens = pdp.auth() instanceof PdpAuth.ClientCredentials cc ? new AccessTokenSource(pdp.name(), cc) : null;
        this.metadata = pdp.tokenIssuance() ? new PdpMetadata(pdp, nanoClock) : null;
    }

    AuthzenAnswer answer(AuthzenQuery query, HttpClient http, Secrets secrets, PdpCallTracer tracer) {
        AuthzenAnswer cached = cache.get(query.body());
        if (cached != null) {
            metrics.cached.increment();
            return cached;
        }
        if (!breaker.allowsCall()) {
            metrics.circuitOpen.increment();
            throw PdpCall.failure(pdp.name(), "circuit open after " + pdp.breakerFailures()
                    + " consecutive failures; not called for " + pdp.breakerCoolDown(), null);
        }
        long started = System.nanoTime();
        try {
            AuthzenAnswer answer = tracer.around(pdp, query, () -> call(query, http, secrets));
            metrics.calls.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            breaker.recordSuccess();
            cache.put(query.body(), answer);
            (allAllowed(answer.decisions()) ? metrics.allowed : metrics.denied).increment();
            return answer;
        } catch (RuntimeException e) {
            metrics.calls.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            metrics.failed.increment();
            if (breaker.recordFailure()) {
                LOG.warnf("AuthZEN PDP '%s' (%s) failed %d times in a row; not calling it for %s: %s",
                        pdp.name(), pdp.url(), pdp.breakerFailures(), pdp.breakerCoolDown(), e.getMessage());
            } else {
                LOG.debugf("AuthZEN PDP '%s' call failed: %s", pdp.name(), e.getMessage());
            }
            throw e instanceof PolicyEvaluationException p ? p : PdpCall.failure(pdp.name(), "failed: " + e, e);
        }
    }

    private AuthzenAnswer call(AuthzenQuery query, HttpClient http, Secrets secrets) {
        long deadline = System.nanoTime() + pdp.timeout().toNanos();
        Endpoints endpoints = pdp.tokenIssuance() ? metadata.endpoints(http, deadline) : null;
        java.net.URI target = endpoints != null ? (query.batch() ? endpoints.evaluations() : endpoints.evaluation())
                : query.batch() ? pdp.evaluationsUri() : pdp.evaluationUri();
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(query.body()));
        String bearer = bearer(http, secrets, deadline);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = PdpCall.send(http, request.build(), deadline, pdp.name(), "evaluation");
        int status = response.statusCode();
        if ((status == 401 || status == 403) && tokens != null) {
            tokens.invalidate();
        }
        if (status != 200) {
            throw PdpCall.failure(pdp.name(), "evaluation answered HTTP " + status, null);
        }
        return decisions(response.body(), query);
    }

    private String bearer(HttpClient http, Secrets secrets, long deadline) {
        if (pdp.auth() instanceof PdpAuth.Bearer b) {
            String token = secrets.resolve(b.token());
            if (token == null) {
                throw PdpCall.failure(pdp.name(), "the bearer token's vault entry does not exist", null);
            }
            return token;
        }
        return tokens == null ? null : tokens.token(http, secrets, deadline);
    }

    /**
     * AuthZEN 1.0: {@code {"decision": bool, "context": {...}}}, or {@code {"evaluations": [{"decision": bool,
     * "context": {...}}, ...]}} in request order (Section 7.2).
     */
    private AuthzenAnswer decisions(String body, AuthzenQuery query) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw PdpCall.failure(pdp.name(), "answer is not JSON", null);
        }
        if (!query.batch()) {
            return new AuthzenAnswer(new boolean[] {decision(json)}, new JsonNode[] {json.get("context")});
        }
        JsonNode evaluations = json.path("evaluations");
        if (!evaluations.isArray() || evaluations.size() != query.evaluations()) {
            throw PdpCall.failure(pdp.name(), "answer has " + (evaluations.isArray() ? evaluations.size() : "no")
                    + " evaluations for " + query.evaluations() + " asked", null);
        }
        boolean[] decisions = new boolean[evaluations.size()];
        JsonNode[] contexts = new JsonNode[decisions.length];
        for (int i = 0; i < decisions.length; i++) {
            decisions[i] = decision(evaluations.get(i));
            contexts[i] = evaluations.get(i).get("context");
        }
        return new AuthzenAnswer(decisions, contexts);
    }

    /** Where a token issuance profile PDP takes evaluations, as its metadata says. */
    record Endpoints(java.net.URI evaluation, java.net.URI evaluations) {
    }

    private boolean decision(JsonNode evaluation) {
        JsonNode decision = evaluation.path("decision");
        if (!decision.isBoolean()) {
            // Anything but an explicit boolean is no decision: fail closed rather than guess.
            throw PdpCall.failure(pdp.name(), "answer has no boolean 'decision'", null);
        }
        return decision.booleanValue();
    }

    private static boolean allAllowed(boolean[] decisions) {
        for (boolean d : decisions) {
            if (!d) {
                return false;
            }
        }
        return true;
    }

    boolean circuitOpen() {
        return breaker.isOpen();
    }
}
