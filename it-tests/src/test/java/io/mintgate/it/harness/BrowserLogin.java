package io.mintgate.it.harness;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A user at a browser: follows Keycloak's redirects, fills the login form, and stops at the first redirect that
 * leaves Keycloak (the client's redirect URI carrying the code, tokens or error) or at the last page shown.
 */
public final class BrowserLogin {

    /** Where the browser ended: a redirect out of Keycloak, or a page. */
    public record Result(int status, URI location, String page) {
        /** Query or fragment parameter of the final redirect. */
        public String param(String name) {
            if (location == null) {
                return null;
            }
            String parameters = location.getRawFragment() != null ? location.getRawFragment() : location.getRawQuery();
            if (parameters == null) {
                return null;
            }
            for (String pair : parameters.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(name)) {
                    return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);

    private final URI keycloak;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new LoopbackSecureContextCookies())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    public BrowserLogin(KeycloakRuntime runtime) {
        this.keycloak = runtime.baseUri();
    }

    /** Opens {@code start}, logs in as {@code username} when the login form appears, and returns where it ended. */
    public Result open(URI start, String username, String password) {
        HttpResponse<String> response = get(start);
        boolean loggedIn = false;
        for (int hops = 0; hops < 20; hops++) {
            if (isRedirect(response)) {
                URI location = response.headers().firstValue("Location").map(URI::create).orElseThrow();
                location = location.isAbsolute() ? location : keycloak.resolve(location);
                if (!location.toString().startsWith(keycloak.toString())) {
                    return new Result(response.statusCode(), location, null);
                }
                response = get(location);
                continue;
            }
            String page = response.body();
            if (!loggedIn && page.contains("name=\"password\"")) {
                response = post(formAction(page), Map.of("username", username, "password", password));
                loggedIn = true;
                continue;
            }
            return new Result(response.statusCode(), null, page);
        }
        throw new AssertionError("too many redirects from " + start);
    }

    /** Submits the (single) form on {@code page}, e.g. a consent or device-grant confirmation. */
    public Result submit(String page, Map<String, String> fields) {
        HttpResponse<String> response = post(formAction(page), fields);
        if (isRedirect(response)) {
            URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
            return new Result(response.statusCode(), location.isAbsolute() ? location : keycloak.resolve(location), null);
        }
        return new Result(response.statusCode(), null, response.body());
    }

    /**
     * Keycloak treats loopback HTTP (127.0.0.1, localhost) as a secure context and marks its cookies {@code Secure},
     * as browsers do, which send them there. The JDK's {@link CookieManager} sends Secure cookies only over https,
     * so for loopback hosts it is asked as if the link were https. Without this, any flow that redirects before
     * the login form (the device verification URI, for one) loses its authentication session cookie.
     */
    private static final class LoopbackSecureContextCookies extends CookieManager {
        @Override
        public Map<String, java.util.List<String>> get(URI uri, Map<String, java.util.List<String>> requestHeaders)
                throws IOException {
            return super.get(isLoopback(uri) ? asHttps(uri) : uri, requestHeaders);
        }

        private static boolean isLoopback(URI uri) {
            return "http".equalsIgnoreCase(uri.getScheme())
                    && ("127.0.0.1".equals(uri.getHost()) || "localhost".equalsIgnoreCase(uri.getHost()));
        }

        private static URI asHttps(URI uri) {
            try {
                return new URI("https", uri.getAuthority(), uri.getPath(), null, null);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The (first) form's action; a relative action (some pages render one) is resolved against Keycloak's base. */
    private URI formAction(String page) {
        Matcher matcher = FORM_ACTION.matcher(page);
        if (!matcher.find()) {
            throw new AssertionError("no form on the page:\n" + page);
        }
        return keycloak.resolve(URI.create(matcher.group(1).replace("&amp;", "&")));
    }

    private static boolean isRedirect(HttpResponse<?> response) {
        return response.statusCode() == 302 || response.statusCode() == 303;
    }

    private HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET().build());
    }

    private HttpResponse<String> post(URI uri, Map<String, String> fields) {
        String form = fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
