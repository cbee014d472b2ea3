package io.mintgate.authorizer.authzen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mintgate.authorizer.policy.PolicyEvaluationException;
import io.mintgate.authorizer.policy.authzen.AuthzenAnswer;
import io.mintgate.authorizer.policy.authzen.AuthzenClient;
import io.mintgate.authorizer.policy.authzen.AuthzenQuery;
import io.mintgate.authorizer.policy.authzen.PdpAuth;
import io.mintgate.authorizer.policy.authzen.PdpConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node's AuthZEN client against a real local HTTP server: answers, cache, timeout, breaker and auth. */
class HttpAuthzenClientTest {

    private static final String ALLOW = "{\"decision\":true}";
    private static final String DENY = "{\"decision\":false}";

    private HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<Responder> pdp = new AtomicReference<>(ex -> reply(ex, 200, ALLOW));
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicReference<String> issuedToken = new AtomicReference<>("token-1");
    /** The fake clock the cache and breaker read (wall time for HTTP deadlines stays real). */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private HttpAuthzenClient client;
    private final AtomicInteger metadataRequests = new AtomicInteger();
    private final AtomicReference<String> metadata = new AtomicReference<>("{}");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    record Recorded(String path, String authorization, String body) {
    }

    @FunctionalInterface
    interface Responder {
        void respond(HttpExchange exchange) throws IOException;
    }

    @BeforeEach
    void startPdp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/pdp/", ex -> {
            requests.add(new Recorded(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Authorization"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            pdp.get().respond(ex);
        });
        server.createContext("/.well-known/", ex -> {
            metadataRequests.incrementAndGet();
            reply(ex, 200, metadata.get());
        });
        server.createContext("/token", ex -> {
            tokenRequests.incrementAndGet();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String expected = "Basic " + java.util.Base64.getEncoder().encodeToString("pdp-client:s3cret".getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization")) || !body.startsWith("grant_type=client_credentials")) {
                reply(ex, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            reply(ex, 200, "{\"access_token\":\"" + issuedToken.get() + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        client = new HttpAuthzenClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), nanos::get, meters);
    }

    @AfterEach
    void stopPdp() {
        server.stop(0);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private PdpConfig pdpConfig(PdpAuth auth, Duration timeout, Duration ttl, int failures) {
        return new PdpConfig("test-pdp", URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/pdp"),
                timeout, ttl, 100, failures, Duration.ofSeconds(30), auth);
    }

    private PdpConfig plain() {
        return pdpConfig(PdpAuth.NONE, Duration.ofSeconds(2), Duration.ofSeconds(30), 3);
    }

    private static AuthzenQuery single(PdpConfig pdp, String subject) {
        return new AuthzenQuery(pdp, "{\"subject\":{\"type\":\"client\",\"id\":\"" + subject + "\"}}", 0);
    }

    private PdpConfig profilePdp() {
        PdpConfig p = plain();
        return new PdpConfig(p.name(), p.url(), p.timeout(), p.cacheTtl(), p.cacheSize(), p.breakerFailures(),
                p.breakerCoolDown(), p.auth(), PdpConfig.TOKEN_ISSUANCE, 64);
    }

    @Test
    void aTokenIssuancePdpIsUsedOnlyOnceItsMetadataAdvertisesTheCapabilityAndAtTheEndpointItNames() {
        PdpConfig pdp = profilePdp();
        String base = pdp.url().toString();
        metadata.set("{\"policy_decision_point\": \"" + base + "\", \"access_evaluations_endpoint\": \"" + base
                + "/v2/evaluations\", \"capabilities\": [\"" + PdpConfig.TOKEN_ISSUANCE_CAPABILITY + "\"]}");
        this.pdp.set(ex -> reply(ex, 200, "{\"evaluations\":[{\"decision\":true,\"context\":{\"issuance\":{\"token_lifetime\":60}}},{\"decision\":false}]}"));
        AuthzenClient facility = client.forTenant("r", Secrets.LITERAL);

        AuthzenAnswer answer = facility.answer(new AuthzenQuery(pdp, "{\"evaluations\":[{},{}]}", 2));
        facility.answer(new AuthzenQuery(pdp, "{\"evaluations\":[{},{}],\"x\":1}", 2));

        assertThat(answer.decisions()).containsExactly(true, false);
        assertThat(answer.context(0).at("/issuance/token_lifetime").asInt()).isEqualTo(60);
        assertThat(answer.context(1)).isNull();
        assertThat(requests).extracting(Recorded::path).containsExactly("/pdp/v2/evaluations", "/pdp/v2/evaluations");
        assertThat(metadataRequests.get()).as("metadata read once, at /.well-known/authzen-configuration/pdp").isEqualTo(1);
    }

    @Test
    void aTokenIssuancePdpWhoseMetadataLacksTheCapabilityIsNotAskedAndFailsClosed() {
        PdpConfig pdp = profilePdp();
        metadata.set("{\"policy_decision_point\": \"" + pdp.url() + "\", \"capabilities\": []}");

        PolicyEvaluationException e = catchThrowableOfType(PolicyEvaluationException.class,
                () -> client.forTenant("r", Secrets.LITERAL).answer(new AuthzenQuery(pdp, "{}", 0)));

        assertThat(e.getMessage()).isEqualTo("authzen pdp 'test-pdp': metadata does not advertise "
                + PdpConfig.TOKEN_ISSUANCE_CAPABILITY);
        assertThat(requests).isEmpty();
    }

    @Test
    void readsAllowAndDenyFromTheEvaluationEndpoint() {
        AuthzenClient facility = client.forTenant("realm-1", Secrets.LITERAL);
        assertThat(facility.evaluate(single(plain(), "a"))).containsExactly(true);
        pdp.set(ex -> reply(ex, 200, DENY));
        assertThat(facility.evaluate(single(plain(), "b"))).containsExactly(false);
        assertThat(requests).extracting(Recorded::path).containsOnly("/pdp/access/v1/evaluation");
        assertThat(requests.get(0).body()).isEqualTo("{\"subject\":{\"type\":\"client\",\"id\":\"a\"}}");
        assertThat(requests.get(0).authorization()).isNull();
    }

    @Test
    void batchesGoToTheEvaluationsEndpointAndKeepTheirOrder() {
        pdp.set(ex -> reply(ex, 200, "{\"evaluations\":[{\"decision\":true},{\"decision\":false},{\"decision\":true}]}"));
        boolean[] decisions = client.forTenant("r", Secrets.LITERAL).evaluate(new AuthzenQuery(plain(), "{\"evaluations\":[{},{},{}]}", 3));
        assertThat(decisions).containsExactly(true, false, true);
        assertThat(requests).singleElement().extracting(Recorded::path).isEqualTo("/pdp/access/v1/evaluations");
    }

    @Test
    void anIdenticalRequestWithinTheTtlIsAnsweredFromTheCache() {
        AuthzenClient facility = client.forTenant("realm-1", Secrets.LITERAL);
        assertThat(facility.evaluate(single(plain(), "a"))).containsExactly(true);
        pdp.set(ex -> reply(ex, 200, DENY));
        assertThat(facility.evaluate(single(plain(), "a"))).as("cached allow").containsExactly(true);
        assertThat(requests).hasSize(1);

        assertThat(facility.evaluate(single(plain(), "other"))).as("another request is another key").containsExactly(false);
        assertThat(client.forTenant("realm-2", Secrets.LITERAL).evaluate(single(plain(), "a")))
                .as("another realm does not share decisions").containsExactly(false);
        assertThat(requests).hasSize(3);

        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(facility.evaluate(single(plain(), "a"))).as("expired: asked again").containsExactly(false);
        assertThat(requests).hasSize(4);
        assertThat(meters.get("mintgate_authzen_decisions_total").tag("pdp", "test-pdp").tag("outcome", "cached").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get("mintgate_authzen_decisions_total").tag("outcome", "allow").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("mintgate_authzen_decisions_total").tag("outcome", "deny").counter().count())
                .as("meters are per PDP name, summed over realms").isEqualTo(3.0);
    }

    @Test
    void aZeroTtlCachesNothing() {
        PdpConfig noCache = pdpConfig(PdpAuth.NONE, Duration.ofSeconds(2), Duration.ZERO, 3);
        AuthzenClient facility = client.forTenant("r", Secrets.LITERAL);
        facility.evaluate(single(noCache, "a"));
        facility.evaluate(single(noCache, "a"));
        assertThat(requests).hasSize(2);
    }

    @Test
    void aSlowPdpFailsWithinTheTimeout() {
        pdp.set(ex -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(ex, 200, ALLOW);
        });
        PdpConfig fast = pdpConfig(PdpAuth.NONE, Duration.ofMillis(200), Duration.ofSeconds(30), 3);
        long started = System.nanoTime();
        PolicyEvaluationException e = catchThrowableOfType(PolicyEvaluationException.class,
                () -> client.forTenant("r", Secrets.LITERAL).evaluate(single(fast, "a")));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(e).hasMessage("authzen pdp 'test-pdp': evaluation timed out");
        assertThat(elapsedMillis).as("bounded by the 200 ms timeout, not the 3 s answer").isLessThan(2000);
    }

    @Test
    void errorsAndMalformedAnswersAreFailuresNeverDecisions() {
        AuthzenClient facility = client.forTenant("r", Secrets.LITERAL);
        PdpConfig patient = pdpConfig(PdpAuth.NONE, Duration.ofSeconds(2), Duration.ofSeconds(30), 10);
        pdp.set(ex -> reply(ex, 500, "{\"decision\":true}"));
        assertThat(catchThrowableOfType(PolicyEvaluationException.class, () -> facility.evaluate(single(patient, "a"))))
                .hasMessage("authzen pdp 'test-pdp': evaluation answered HTTP 500");
        pdp.set(ex -> reply(ex, 200, "{\"decision\":\"yes\"}"));
        assertThat(catchThrowableOfType(PolicyEvaluationException.class, () -> facility.evaluate(single(patient, "b"))))
                .hasMessageContaining("no boolean 'decision'");
        pdp.set(ex -> reply(ex, 200, "{\"evaluations\":[{\"decision\":true}]}"));
        assertThat(catchThrowableOfType(PolicyEvaluationException.class,
                () -> facility.evaluate(new AuthzenQuery(patient, "{}", 2)))).hasMessageContaining("1 evaluations for 2 asked");
        server.stop(0);
        assertThat(catchThrowableOfType(PolicyEvaluationException.class, () -> facility.evaluate(single(patient, "c"))))
                .hasMessageStartingWith("authzen pdp 'test-pdp': evaluation ");
    }

    @Test
    void afterConsecutiveFailuresTheCircuitOpensThenOneProbeClosesIt() {
        AuthzenClient facility = client.forTenant("r", Secrets.LITERAL);
        pdp.set(ex -> reply(ex, 503, "{}"));
        for (int i = 0; i < 3; i++) {
            String subject = "s" + i;
            assertThat(catchThrowableOfType(PolicyEvaluationException.class, () -> facility.evaluate(single(plain(), subject))))
                    .hasMessageContaining("HTTP 503");
        }
        assertThat(requests).hasSize(3);

        pdp.set(ex -> reply(ex, 200, ALLOW));
        assertThat(catchThrowableOfType(PolicyEvaluationException.class, () -> facility.evaluate(single(plain(), "s4"))))
                .hasMessageContaining("circuit open after 3 consecutive failures");
        assertThat(requests).as("open circuit: the PDP is not called").hasSize(3);
        assertThat(meters.get("mintgate_authzen_decisions_total").tag("outcome", "circuit_open").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("mintgate_authzen_decisions_total").tag("outcome", "error").counter().count()).isEqualTo(3.0);

        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(facility.evaluate(single(plain(), "s5"))).as("half-open probe").containsExactly(true);
        assertThat(facility.evaluate(single(plain(), "s6"))).as("closed again").containsExactly(true);
        assertThat(requests).hasSize(5);
    }

    @Test
    void aFailedProbeReopensTheCircuitForAnotherCoolDown() {
        AuthzenClient facility = client.forTenant("r", Secrets.LITERAL);
        pdp.set(ex -> reply(ex, 503, "{}"));
        for (int i = 0; i < 3; i++) {
            String subject = "s" + i;
            catchThrowableOfType(PolicyEvaluationException.class, () -> facility.evaluate(single(plain(), subject)));
        }
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(catchThrowableOfType(PolicyEvaluationException.class, () -> facility.evaluate(single(plain(), "probe"))))
                .hasMessageContaining("HTTP 503");
        assertThat(catchThrowableOfType(PolicyEvaluationException.class, () -> facility.evaluate(single(plain(), "next"))))
                .hasMessageContaining("circuit open");
        assertThat(requests).hasSize(4);
    }

    @Test
    void aStaticBearerTokenIsResolvedFromTheVaultAndSent() {
        PdpConfig bearer = pdpConfig(new PdpAuth.Bearer("${vault.pdp_token}"), Duration.ofSeconds(2), Duration.ofSeconds(30), 3);
        Secrets vault = ref -> "${vault.pdp_token}".equals(ref) ? "api-key-123" : null;
        client.forTenant("r", vault).evaluate(single(bearer, "a"));
        assertThat(requests).singleElement().extracting(Recorded::authorization).isEqualTo("Bearer api-key-123");

        PolicyEvaluationException missing = catchThrowableOfType(PolicyEvaluationException.class,
                () -> client.forTenant("r2", ref -> null).evaluate(single(bearer, "a")));
        assertThat(missing).hasMessage("authzen pdp 'test-pdp': the bearer token's vault entry does not exist");
    }

    @Test
    void clientCredentialsFetchesATokenOnceReusesItAndRenewsItWhenThePdpRejectsIt() {
        URI tokenUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
        PdpConfig cc = pdpConfig(new PdpAuth.ClientCredentials(tokenUrl, "pdp-client", "${vault.secret}", null),
                Duration.ofSeconds(2), Duration.ZERO, 3);
        AuthzenClient facility = client.forTenant("r", ref -> "${vault.secret}".equals(ref) ? "s3cret" : null);

        facility.evaluate(single(cc, "a"));
        facility.evaluate(single(cc, "b"));
        assertThat(tokenRequests).hasValue(1);
        assertThat(requests).extracting(Recorded::authorization).containsOnly("Bearer token-1");

        pdp.set(ex -> reply(ex, "Bearer token-1".equals(ex.getRequestHeaders().getFirst("Authorization")) ? 401 : 200, ALLOW));
        issuedToken.set("token-2");
        assertThat(catchThrowableOfType(PolicyEvaluationException.class, () -> facility.evaluate(single(cc, "c"))))
                .hasMessageContaining("HTTP 401");
        assertThat(facility.evaluate(single(cc, "c"))).containsExactly(true);
        assertThat(tokenRequests).hasValue(2);
        assertThat(requests.get(requests.size() - 1).authorization()).isEqualTo("Bearer token-2");

        PolicyEvaluationException wrongSecret = catchThrowableOfType(PolicyEvaluationException.class,
                () -> client.forTenant("r3", ref -> "wrong").evaluate(single(cc, "a")));
        assertThat(wrongSecret).hasMessage("authzen pdp 'test-pdp': token request answered HTTP 401");
        assertThat(wrongSecret.getMessage()).doesNotContain("wrong");
    }
}
