package io.mintgate.authorizer.authzen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mintgate.authorizer.policy.authzen.PdpConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The metadata document of a PDP declared with {@code profile: token-issuance} (token issuance profile Draft 1,
 * Section 7; AuthZEN 1.0 PDP metadata): read before the first evaluation and again after {@link #TTL}. The PDP is
 * used only if it advertises {@link PdpConfig#TOKEN_ISSUANCE_CAPABILITY}, its {@code policy_decision_point} is the
 * declared {@code url}, and its evaluation endpoints (when given) are on the same origin as {@code url} (the PDP's
 * credentials go there). Any failure is a failure of the evaluation: fail closed.
 */
final class PdpMetadata {

    static final Duration TTL = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Read(PdpChannel.Endpoints endpoints, long expiresAtNanos) {
    }

    private final PdpConfig pdp;
    private final LongSupplier clock;
    private volatile Read read;

    PdpMetadata(PdpConfig pdp, LongSupplier nanoClock) {
        this.pdp = pdp;
        this.clock = nanoClock;
    }

    PdpChannel.Endpoints endpoints(HttpClient http, long deadlineNanos) {
        Read current = read;
        if (current != null && clock.getAsLong() - current.expiresAtNanos() < 0) {
            return current.endpoints();
        }
        HttpRequest request = HttpRequest.newBuilder(pdp.metadataUri()).header("Accept", "application/json").GET().build();
        HttpResponse<String> response = PdpCall.send(http, request, deadlineNanos, pdp.name(), "metadata request");
        if (response.statusCode() != 200) {
            throw PdpCall.failure(pdp.name(), "metadata answered HTTP " + response.statusCode()
                    + " (a token-issuance PDP must publish " + pdp.metadataUri().getPath() + ")", null);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw PdpCall.failure(pdp.name(), "metadata is not JSON", null);
        }
        if (!stripSlash(json.path("policy_decision_point").asText("")).equals(stripSlash(pdp.url().toString()))) {
            throw PdpCall.failure(pdp.name(), "metadata policy_decision_point is not the declared url", null);
        }
        boolean capable = false;
        for (JsonNode capability : json.path("capabilities")) {
            capable |= PdpConfig.TOKEN_ISSUANCE_CAPABILITY.equals(capability.asText());
        }
        if (!capable) {
            throw PdpCall.failure(pdp.name(), "metadata does not advertise " + PdpConfig.TOKEN_ISSUANCE_CAPABILITY, null);
        }
        PdpChannel.Endpoints endpoints = new PdpChannel.Endpoints(
                endpoint(json, "access_evaluation_endpoint", pdp.evaluationUri()),
                endpoint(json, "access_evaluations_endpoint", pdp.evaluationsUri()));
        read = new Read(endpoints, clock.getAsLong() + TTL.toNanos());
        return endpoints;
    }

    private URI endpoint(JsonNode json, String member, URI fallback) {
        JsonNode value = json.get(member);
        if (value == null || value.isNull()) {
            return fallback;
        }
        try {
            URI uri = new URI(value.asText());
            if (uri.isAbsolute() && pdp.url().getScheme().equals(uri.getScheme())
                    && pdp.url().getRawAuthority().equals(uri.getRawAuthority())) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw PdpCall.failure(pdp.name(), "metadata " + member + " is not a URL on the PDP's own origin", null);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
