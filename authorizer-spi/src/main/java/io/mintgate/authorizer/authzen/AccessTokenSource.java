package io.mintgate.authorizer.authzen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mintgate.authorizer.policy.authzen.PdpAuth;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The bearer token a PDP with {@code client_credentials} auth is called with: fetched from the token endpoint
 * (client_secret_basic, RFC 6749 §2.3.1 and §4.4) on first use and reused until shortly before it expires or
 * the PDP rejects it. One fetch at a time per PDP, so a burst of requests does not stampede the token endpoint.
 */
final class AccessTokenSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Renew this long before expiry, so a token never expires on its way to the PDP. */
    private static final long RENEW_BEFORE_SECONDS = 30;

    private final String pdp;
    private final PdpAuth.ClientCredentials auth;
    private volatile Token current;

    private record Token(String value, long renewAtNanos) {
    }

    AccessTokenSource(String pdp, PdpAuth.ClientCredentials auth) {
        this.pdp = pdp;
        this.auth = auth;
    }

    String token(HttpClient http, Secrets secrets, long deadlineNanos) {
        Token token = current;
        if (token != null && System.nanoTime() - token.renewAtNanos() < 0) {
            return token.value();
        }
        synchronized (this) {
            token = current;
            if (token != null && System.nanoTime() - token.renewAtNanos() < 0) {
                return token.value();
            }
            current = token = fetch(http, secrets, deadlineNanos);
            return token.value();
        }
    }

    /** The PDP refused the token (401/403): fetch a new one next time. */
    void invalidate() {
        current = null;
    }

    private Token fetch(HttpClient http, Secrets secrets, long deadlineNanos) {
        String secret = secrets.resolve(auth.clientSecret());
        if (secret == null) {
            throw PdpCall.failure(pdp, "the client secret's vault entry does not exist", null);
        }
        String basic = Base64.getEncoder().encodeToString((form(auth.clientId()) + ":" + form(secret))
                .getBytes(StandardCharsets.UTF_8));
        String body = "grant_type=client_credentials" + (auth.scope() == null ? "" : "&scope=" + form(auth.scope()));
        HttpRequest request = HttpRequest.newBuilder(auth.tokenUrl())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long started = System.nanoTime();
        HttpResponse<String> response = PdpCall.send(http, request, deadlineNanos, pdp, "token request");
        if (response.statusCode() != 200) {
            throw PdpCall.failure(pdp, "token request answered HTTP " + response.statusCode(), null);
        }
        try {
            JsonNode json = JSON.readTree(response.body());
            JsonNode accessToken = json.path("access_token");
            if (!accessToken.isTextual() || accessToken.asText().isEmpty()) {
                throw PdpCall.failure(pdp, "token response has no access_token", null);
            }
            long expiresIn = json.path("expires_in").asLong(60);
            long reuseSeconds = Math.max(0, expiresIn - Math.min(RENEW_BEFORE_SECONDS, expiresIn / 2));
            return new Token(accessToken.asText(), started + reuseSeconds * 1_000_000_000L);
        } catch (java.io.IOException e) {
            throw PdpCall.failure(pdp, "token response is not JSON", null);
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
