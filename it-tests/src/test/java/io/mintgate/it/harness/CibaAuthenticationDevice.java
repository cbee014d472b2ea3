package io.mintgate.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

/**
 * CIBA (poll mode) with the test as the authentication device: listens on {@link ServerOptions#CIBA_CHANNEL_PORT},
 * where Keycloak's HTTP authentication channel posts each backchannel authentication request, and approves through
 * Keycloak's callback endpoint. One per test class at a time (the port is fixed for the server's life).
 */
public final class CibaAuthenticationDevice implements AutoCloseable {

    private static final Duration POLL_DEADLINE = Duration.ofSeconds(30);

    /** What Keycloak's authentication channel sent: the request body and the bearer token to answer with. */
    private record ChannelRequest(String bearerToken, JsonNode body) {
    }

    private final BlockingQueue<ChannelRequest> channelRequests = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpServer server;

    public CibaAuthenticationDevice() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", ServerOptions.CIBA_CHANNEL_PORT), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/ciba", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                String token = authorization != null && authorization.startsWith("Bearer ")
                        ? authorization.substring("Bearer ".length()) : null;
                channelRequests.add(new ChannelRequest(token, AdminApi.MAPPER.readTree(in.readAllBytes())));
                // The HTTP authentication channel accepts the request only on 201 Created.
                exchange.sendResponseHeaders(201, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** Backchannel request by {@code clientId} for {@code username}, approval on this device, then polling. */
    public TokenResponse run(OidcClient oidc, String clientId, String username) {
        CIBARequestAcknowledgement ack = backchannelAuthentication(oidc, clientId, username);
        approve(oidc, clientId, username);
        return poll(oidc, clientId, ack);
    }

    /** The consumption device's backchannel authentication request (CIBA Core section 7.1). */
    public CIBARequestAcknowledgement backchannelAuthentication(OidcClient oidc, String clientId, String username) {
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

    /** Takes Keycloak's channel request for {@code username} and reports the user's approval. */
    public void approve(OidcClient oidc, String clientId, String username) {
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
    public TokenResponse poll(OidcClient oidc, String clientId, CIBARequestAcknowledgement ack) {
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
            AuditSinks.pause(interval.toMillis());
        }
    }

    private static ClientSecretBasic auth(String clientId) {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(clientId + "-secret"));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
