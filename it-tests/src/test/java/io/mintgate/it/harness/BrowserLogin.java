package io.mintgate.it.harness;

import java.io.IOException;
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
                throw new AssertionError("the browser did not leave Keycloak; it ended on a page (HTTP " + status
                        + "):\n" + (page == null ? "" : page.substring(0, Math.min(page.length(), 3000))));
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
    private static final Pattern LOGIN_FORM_ACTION = Pattern.compile(
            "<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"|<form[^>]*action=\"([^\"]+)\"[^>]*id=\"kc-form-login\"",
            Pattern.CASE_INSENSITIVE);

    private final URI keycloak;
    /**
     * Keycloak marks its SameSite=None cookies Secure even on plain HTTP, and the JDK's CookieManager never returns
     * a Secure cookie over HTTP; a browser talking to localhost does. So: one host, one jar, every cookie returned.
     */
    private final Map<String, String> cookies = new java.util.LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder()
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
                Matcher login = LOGIN_FORM_ACTION.matcher(page);
                URI action = login.find() ? URI.create((login.group(1) != null ? login.group(1) : login.group(2))
                        .replace("&amp;", "&")) : formAction(page);
                response = post(action, Map.of("username", username, "password", password));
                loggedIn = true;
                continue;
            }
            return new Result(response.statusCode(), null, page);
        }
        throw new AssertionError("too many redirects from " + start);
    }

    /** The cookies the browser holds now (e.g. the SSO session after {@link #open}), name to value. */
    public Map<String, String> cookies() {
        return Map.copyOf(cookies);
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

    /** The (first) form's action; a relative action (the device confirmation page renders one) is resolved. */
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

    private HttpResponse<String> send(HttpRequest original) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(original, (name, value) -> true);
        if (!cookies.isEmpty()) {
            builder.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    String value = pair.substring(eq + 1);
                    if (value.isEmpty() || setCookie.toLowerCase().contains("max-age=0")) {
                        cookies.remove(pair.substring(0, eq));
                    } else {
                        cookies.put(pair.substring(0, eq), value);
                    }
                }
            }
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
