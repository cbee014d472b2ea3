package io.mintgate.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import io.mintgate.it.harness.BrowserLogin;
import io.mintgate.it.harness.DistributionKeycloak;

/**
 * The measured token requests. Each {@link LoadGenerator.Worker} is one client thread with its own state; the
 * state is (re)obtained in {@code prepare()}, outside the measured window, so a window never runs into an expired
 * subject token or session.
 */
final class BenchGrants {

    static final String REALM = "bench";
    static final String REDIRECT = "http://127.0.0.1/cb";
    static final String USER = "alice";
    static final String PASSWORD = "alice-password";

    /** A grant type under test. */
    enum Grant {
        CLIENT_CREDENTIALS("client_credentials", "client_credentials (svc, no scope parameter)"),
        REFRESH_TOKEN("refresh_token", "refresh_token (app, openid: access + ID + refresh token)"),
        TOKEN_EXCHANGE("token_exchange", "token exchange v2 (exchanger, audience=api)"),
        AUTHORIZATION_CODE("authorization_code",
                "authorization_code (SSO-session authorize redirect + code exchange, openid)");

        final String id;
        final String title;

        Grant(String id, String title) {
            this.id = id;
            this.title = title;
        }

        static Grant of(String id) {
            for (Grant g : values()) {
                if (g.id.equals(id.trim())) {
                    return g;
                }
            }
            throw new IllegalArgumentException("unknown grant " + id + "; known: "
                    + java.util.Arrays.stream(values()).map(g -> g.id).collect(Collectors.joining(",")));
        }
    }

    /** One server as the load generator sees it. */
    record Target(String name, DistributionKeycloak server, HttpClient http) {
        URI tokenEndpoint() {
            return URI.create(server.baseUri() + "/realms/" + REALM + "/protocol/openid-connect/token");
        }

        URI authorize() {
            return URI.create(server.baseUri() + "/realms/" + REALM + "/protocol/openid-connect/auth?client_id=app"
                    + "&response_type=code&scope=openid&redirect_uri=" + encode(REDIRECT));
        }

        static HttpClient newClient() {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        }
    }

    private BenchGrants() {
    }

    static LoadGenerator.Worker worker(Grant grant, Target target) {
        return switch (grant) {
            case CLIENT_CREDENTIALS -> new TokenWorker(target, basic("svc", "svc-secret")) {
                @Override
                String form() {
                    return "grant_type=client_credentials";
                }
            };
            case REFRESH_TOKEN -> new RefreshWorker(target);
            case TOKEN_EXCHANGE -> new ExchangeWorker(target);
            case AUTHORIZATION_CODE -> new CodeWorker(target);
        };
    }

    /** A POST to the token endpoint with client_secret_basic. */
    abstract static class TokenWorker implements LoadGenerator.Worker {
        final Target target;
        final String authorization;
        String lastBody = "";

        TokenWorker(Target target, String authorization) {
            this.target = target;
            this.authorization = authorization;
        }

        abstract String form();

        @Override
        public void prepare() throws Exception {
        }

        @Override
        public int call() throws Exception {
            return post(form());
        }

        int post(String form) throws Exception {
            HttpResponse<String> response = target.http().send(HttpRequest.newBuilder(target.tokenEndpoint())
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            lastBody = response.body();
            return response.statusCode();
        }

        @Override
        public String lastBody() {
            return lastBody;
        }

        /** A password grant for alice through client app (setup only: it hashes a password). */
        String passwordGrant(String field) throws Exception {
            TokenWorker app = new TokenWorker(target, basic("app", "app-secret")) {
                @Override
                String form() {
                    return "grant_type=password&scope=openid&username=" + USER + "&password=" + PASSWORD;
                }
            };
            int status = app.call();
            if (status != 200) {
                throw new IllegalStateException(target.name() + ": password grant (setup) gave HTTP " + status + ": "
                        + app.lastBody());
            }
            return jsonString(app.lastBody(), field);
        }
    }

    /** Refreshes with the refresh token of the previous response, as a real client does. */
    static final class RefreshWorker extends TokenWorker {
        private String refreshToken;

        RefreshWorker(Target target) {
            super(target, basic("app", "app-secret"));
        }

        @Override
        public void prepare() throws Exception {
            refreshToken = passwordGrant("refresh_token");
        }

        @Override
        String form() {
            return "grant_type=refresh_token&refresh_token=" + refreshToken;
        }

        @Override
        public int call() throws Exception {
            int status = super.call();
            if (status == 200) {
                refreshToken = jsonString(lastBody, "refresh_token");
            }
            return status;
        }
    }

    /** Standard token exchange (v2): alice's access token from app, exchanged by exchanger for audience api. */
    static final class ExchangeWorker extends TokenWorker {
        private String form;

        ExchangeWorker(Target target) {
            super(target, basic("exchanger", "exchanger-secret"));
        }

        @Override
        public void prepare() throws Exception {
            String subjectToken = passwordGrant("access_token");
            form = "grant_type=" + encode("urn:ietf:params:oauth:grant-type:token-exchange")
                    + "&subject_token=" + subjectToken
                    + "&subject_token_type=" + encode("urn:ietf:params:oauth:token-type:access_token")
                    + "&audience=api";
        }

        @Override
        String form() {
            return form;
        }
    }

    /**
     * Authorization code without a password per code: the thread logs in once (browser form, in prepare), then each
     * operation is the authorize request carrying the SSO cookies (Keycloak answers 302 with a code) followed by the
     * code exchange. The latency and rate are of that pair; the password hash of a real login is left out on
     * purpose, as it would dominate both servers equally and hide the token path.
     */
    static final class CodeWorker extends TokenWorker {
        private String cookieHeader;

        CodeWorker(Target target) {
            super(target, basic("app", "app-secret"));
        }

        @Override
        public void prepare() {
            BrowserLogin browser = new BrowserLogin(target.server());
            BrowserLogin.Result first = browser.open(target.authorize(), USER, PASSWORD);
            if (first.param("code") == null) {
                throw new IllegalStateException(target.name() + ": browser login gave no code: " + first.location());
            }
            cookieHeader = browser.cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; "));
        }

        @Override
        String form() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int call() throws Exception {
            HttpResponse<String> authorize = target.http().send(HttpRequest.newBuilder(target.authorize())
                    .timeout(Duration.ofSeconds(30)).header("Cookie", cookieHeader).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String location = authorize.headers().firstValue("Location").orElse("");
            String code = queryParam(location, "code");
            if (authorize.statusCode() != 302 || code == null) {
                lastBody = "authorize: HTTP " + authorize.statusCode() + " Location=" + location + " "
                        + LoadGenerator.abbreviate(authorize.body());
                return authorize.statusCode() == 200 ? 599 : authorize.statusCode();
            }
            return post("grant_type=authorization_code&code=" + encode(code) + "&redirect_uri=" + encode(REDIRECT));
        }
    }

    static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((encode(clientId) + ":" + encode(secret))
                .getBytes(StandardCharsets.UTF_8));
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A top-level string field of a token response, without a JSON parser (tokens never contain quotes). */
    static String jsonString(String json, String field) {
        String key = "\"" + field + "\":\"";
        int start = json.indexOf(key);
        if (start < 0) {
            throw new IllegalStateException("no " + field + " in " + LoadGenerator.abbreviate(json));
        }
        start += key.length();
        return json.substring(start, json.indexOf('"', start));
    }

    static String queryParam(String uri, String name) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : uri.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static List<Grant> parse(String list) {
        return java.util.Arrays.stream(list.split(",")).filter(s -> !s.isBlank()).map(Grant::of).toList();
    }
}
