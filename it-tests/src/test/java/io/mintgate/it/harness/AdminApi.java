package io.mintgate.it.harness;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Keycloak's admin REST API as an admin script would use it: bearer token of the bootstrap admin service client,
 * JSON in and out. Thin on purpose: tests send the same representations an admin would import.
 */
public final class AdminApi {

    public record Response(int status, String body, Map<String, java.util.List<String>> headers) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }

        public Response expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected HTTP " + expected + " but got " + status + ": " + body);
            }
            return this;
        }

        public String location() {
            return headers.getOrDefault("location", java.util.List.of("")).get(0);
        }
    }

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final KeycloakRuntime runtime;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;
    private Instant tokenExpiry = Instant.EPOCH;

    public AdminApi(KeycloakRuntime runtime) {
        this.runtime = runtime;
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response post(String path, Object body) {
        return send("POST", path, body);
    }

    public Response put(String path, Object body) {
        return send("PUT", path, body);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    /** Creates a realm from its representation (the same JSON `kc.sh import` takes). */
    public void createRealm(JsonNode realm) {
        post("/admin/realms", realm).expect(201);
    }

    public void deleteRealm(String realm) {
        Response r = delete("/admin/realms/" + realm);
        if (r.status() != 204 && r.status() != 404) {
            throw new AssertionError("deleting realm " + realm + ": " + r.status() + " " + r.body());
        }
    }

    /** The internal id of a client, by its clientId. */
    public String clientUuid(String realm, String clientId) {
        JsonNode found = get("/admin/realms/" + realm + "/clients?clientId=" + encode(clientId)).expect(200).json();
        if (found.isEmpty()) {
            throw new AssertionError("no client " + clientId + " in realm " + realm);
        }
        return found.get(0).get("id").asText();
    }

    public String userId(String realm, String username) {
        JsonNode found = get("/admin/realms/" + realm + "/users?exact=true&username=" + encode(username)).expect(200).json();
        if (found.isEmpty()) {
            throw new AssertionError("no user " + username + " in realm " + realm);
        }
        return found.get(0).get("id").asText();
    }

    public Response send(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(runtime.baseUri() + path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token())
                    .header("Accept", "application/json");
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                String json = body instanceof String s ? s : MAPPER.writeValueAsString(body);
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private synchronized String token() throws IOException, InterruptedException {
        if (token != null && Instant.now().isBefore(tokenExpiry)) {
            return token;
        }
        String form = Map.of("grant_type", "client_credentials", "client_id", runtime.adminClientId(),
                        "client_secret", runtime.adminClientSecret()).entrySet().stream()
                .map(e -> e.getKey() + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(runtime.baseUri() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("admin token: " + response.statusCode() + " " + response.body());
        }
        JsonNode json = MAPPER.readTree(response.body());
        token = json.get("access_token").asText();
        // renew well before expiry; the master realm's default access token lifespan is 60 s
        tokenExpiry = Instant.now().plusSeconds(Math.max(5, json.get("expires_in").asLong() - 20));
        return token;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
