package io.mintgate.it.grants;

import static io.mintgate.it.grants.GrantAssertions.assertMinted;
import static io.mintgate.it.grants.GrantAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.ciba.CIBAGrant;
import com.nimbusds.oauth2.sdk.ciba.CIBARequest;
import com.nimbusds.oauth2.sdk.ciba.CIBARequestAcknowledgement;
import com.nimbusds.oauth2.sdk.ciba.CIBAResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.sun.net.httpserver.HttpServer;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import io.mintgate.it.harness.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenID Connect Client-Initiated Backchannel Authentication (CIBA, poll mode) end to end: the consumption device
 * starts a backchannel authentication for a user ({@code login_hint}); Keycloak's HTTP authentication channel posts
 * it to this test, which plays the authentication device and approves through Keycloak's callback endpoint; the
 * consumption device then polls the token endpoint with its {@code auth_req_id}. Mintgate decides at that exchange.
 */
@MintgateIT
class CibaGrantIT {

    private static final String GRANT = "urn:openid:params:grant-type:ciba";
    private static final Duration POLL_DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What Keycloak's authentication channel sent: the request body and the bearer token to answer with. */
    private record ChannelRequest(String bearerToken, JsonNode body) {
    }

    private final BlockingQueue<ChannelRequest> channelRequests = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer authenticationDevice;
    private RealmFixture realm;
    private OidcClient oidc;

    @BeforeAll
    void start(AdminApi admin, KeycloakRuntime keycloak) throws IOException {
        authenticationDevice = HttpServer.create(new InetSocketAddress("127.0.0.1", ServerOptions.CIBA_CHANNEL_PORT), 0);
        authenticationDevice.createContext("/ciba", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                String token = authorization != null && authorization.startsWith("Bearer ")
                        ? authorization.substring("Bearer ".length()) : null;
                channelRequests.add(new ChannelRequest(token, JSON.readTree(in.readAllBytes())));
                // The HTTP authentication channel accepts the request only on 201 Created.
                exchange.sendResponseHeaders(201, -1);
            } finally {
                exchange.close();
            }
        });
        authenticationDevice.start();
        realm = RealmFixture.create(admin, "ciba-grant.json");
        oidc = new OidcClient(keycloak, realm.name());
    }

    @AfterAll
    void stop() {
        if (realm != null) {
            realm.close();
        }
        if (authenticationDevice != null) {
            authenticationDevice.stop(0);
        }
    }

    @Test
    @CoversGrant(value = GRANT, outcome = CoversGrant.Outcome.ALLOW)
    void authReqIdIsExchangedForATokenOnceTheDeviceApprovesAnUnflaggedUser() {
        CIBARequestAcknowledgement ack = backchannelAuthentication("cd", "alice");
        approveOnDevice("cd", "alice");

        JWTClaimsSet claims = assertMinted(oidc, pollForToken("cd", ack));
        assertThat(claims.getClaim("preferred_username")).isEqualTo("alice");
        assertThat(claims.getClaim("azp")).isEqualTo("cd");
    }

    @Test
    @CoversGrant(value = GRANT, outcome = CoversGrant.Outcome.DENY)
    void authReqIdExchangeIsRefusedForAFlaggedUserEvenAfterTheDeviceApproved() {
        CIBARequestAcknowledgement ack = backchannelAuthentication("cd", "mallory");
        approveOnDevice("cd", "mallory");

        assertRefused(pollForToken("cd", ack), "subject_flagged");
    }

    @Test
    void authReqIdExchangeIsRefusedForAFlaggedClient() {
        CIBARequestAcknowledgement ack = backchannelAuthentication("cd-flagged", "alice");
        approveOnDevice("cd-flagged", "alice");

        assertRefused(pollForToken("cd-flagged", ack), "client_flagged");
    }

    // helpers

    /** The consumption device's backchannel authentication request (CIBA Core section 7.1). */
    private CIBARequestAcknowledgement backchannelAuthentication(String clientId, String username) {
        channelRequests.clear();
        URI endpoint = URI.create(oidc.realmUri() + "/protocol/openid-connect/ext/ciba/auth");
        CIBARequest request = new CIBARequest.Builder(auth(clientId), Scope.parse("openid"))
                .endpointURI(endpoint).loginHint(username).build();
        try {
            CIBAResponse response = CIBAResponse.parse(request.toHTTPRequest().send());
            assertThat(response.indicatesSuccess()).as("backchannel authentication response %s",
                    response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
            return response.toRequestAcknowledgement();
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("backchannel authentication request failed", e);
        }
    }

    /** The authentication device: takes Keycloak's channel request and reports the user's approval. */
    private void approveOnDevice(String clientId, String username) {
        ChannelRequest channel;
        try {
            channel = channelRequests.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(channel).as("Keycloak's authentication channel request on port %d", ServerOptions.CIBA_CHANNEL_PORT)
                .isNotNull();
        assertThat(channel.bearerToken()).as("bearer token of the channel request").isNotBlank();
        assertThat(channel.body().path("login_hint").asText()).as("channel request %s", channel.body()).isEqualTo(username);

        URI callback = URI.create(oidc.realmUri() + "/protocol/openid-connect/ext/ciba/auth/callback");
        HttpRequest approve = HttpRequest.newBuilder(callback).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + channel.bearerToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"SUCCEED\"}")).build();
        try {
            HttpResponse<String> response = http.send(approve, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(response.statusCode()).as("callback for %s: %s", clientId, response.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new IllegalStateException("CIBA callback failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls as a poll-mode client does, waiting out authorization_pending and slow_down until the deadline. */
    private TokenResponse pollForToken(String clientId, CIBARequestAcknowledgement ack) {
        Duration interval = Duration.ofSeconds(Math.max(1, ack.getMinWaitInterval()));
        long deadline = System.nanoTime() + POLL_DEADLINE.toNanos();
        while (true) {
            TokenResponse response = oidc.token(new CIBAGrant(ack.getAuthRequestID()), auth(clientId), null);
            String error = response.indicatesSuccess() ? null : response.toErrorResponse().getErrorObject().getCode();
            if (error == null || !Set.of("authorization_pending", "slow_down").contains(error)) {
                return response;
            }
            if (System.nanoTime() + interval.toNanos() > deadline) {
                throw new AssertionError("still " + error + " after " + POLL_DEADLINE);
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static ClientSecretBasic auth(String clientId) {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
    }
}
