package io.mintgate.it.harness;

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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.ciba.CIBAGrant;
import com.nimbusds.oauth2.sdk.ciba.CIBARequest;
import com.nimbusds.oauth2.sdk.ciba.CIBARequestAcknowledgement;
import com.nimbusds.oauth2.sdk.ciba.CIBAResponse;
import com.sun.net.httpserver.HttpServer;

/**
 * CIBA (poll mode) end to end: this plays the authentication device on {@link ServerOptions#CIBA_CHANNEL_PORT}, where
 * Keycloak's HTTP authentication channel posts each backchannel authentication request, and approves through
 * Keycloak's callback endpoint; the consumption device's side (authentication request, polling) is here too.
 */
public final class CibaAuthenticationDevice implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What Keycloak's authentication channel sent: the request body and the bearer token to answer with. */
    private record ChannelRequest(String bearerToken, JsonNode body) {
    }

    private final BlockingQueue<ChannelRequest> channelRequests = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpServer server;
    private final OidcClient oidc;

    public CibaAuthenticationDevice(OidcClient oidc) throws IOException {
        this.oidc = oidc;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", ServerOptions.CIBA_CHANNEL_PORT), 0);
        server.createContext("/ciba", exchange -> {
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
        server.start();
    }

    /** The consumption device's backchannel authentication request (CIBA Core section 7.1). */
    public CIBARequestAcknowledgement authenticate(ClientAuthentication client, String scope, String loginHint) {
        CIBAResponse response = request(client, scope, loginHint);
        assertThat(response.indicatesSuccess()).as("backchannel authentication response %s",
                response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject().toJSONObject()).isTrue();
        return response.toRequestAcknowledgement();
    }

    /** The backchannel authentication request as sent, whatever Keycloak answers (e.g. a refusal). */
    public CIBAResponse request(ClientAuthentication client, String scope, String loginHint) {
        channelRequests.clear();
        URI endpoint = URI.create(oidc.realmUri() + "/protocol/openid-connect/ext/ciba/auth");
        CIBARequest request = new CIBARequest.Builder(client, Scope.parse(scope)).endpointURI(endpoint)
                .loginHint(loginHint).build();
        try {
            return CIBAResponse.parse(request.toHTTPRequest().send());
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("backchannel authentication request failed", e);
        }
    }

    /** The authentication device: takes Keycloak's channel request for {@code username} and reports approval. */
    public void approve(String username) {
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
            assertThat(response.statusCode()).as("CIBA callback: %s", response.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new IllegalStateException("CIBA callback failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls as a poll-mode client does until the answer is no longer pending. */
    public TokenResponse pollForToken(ClientAuthentication client, CIBARequestAcknowledgement ack) {
        return TokenPolling.poll(() -> oidc.token(new CIBAGrant(ack.getAuthRequestID()), client, null),
                ack.getMinWaitInterval());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
